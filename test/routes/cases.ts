/**
 * Differential cases: each is replayed against the real Python Routes library
 * (scripts/probes/routes_table.py) and against the TS model, and the tables must be equal.
 * A call names a method on the current target; nested `calls` apply to what it returned
 * (a SubMapper); op "member" applies its calls to `target.member`.
 */
export interface Call {
  op: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  calls?: Call[];
}

export interface Case {
  name: string;
  mapper?: { explicit?: boolean };
  calls: Call[];
  /** Requests matched against the finished mapper: which route takes each, with what params. */
  requests?: [string, string][];
}

const GET = { method: ["GET"] };
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

export const CASES: Case[] = [
  // ---- Mapper.connect ------------------------------------------------------------------
  {
    name: "connect unnamed with method condition",
    calls: [
      {
        op: "connect",
        args: ["/images"],
        kwargs: { controller: "images", action: "index", conditions: GET },
      },
      {
        op: "connect",
        args: ["/images"],
        kwargs: { controller: "images", action: "create", conditions: { method: ["POST"] } },
      },
    ],
  },
  {
    name: "connect named, and explicit None name",
    calls: [
      { op: "connect", args: ["home", "/"], kwargs: { controller: "home", action: "splash" } },
      { op: "connect", args: [null, "/about"], kwargs: { controller: "home", action: "about" } },
      { op: "connect", args: ["", "/empty-name"], kwargs: { controller: "home" } },
      { op: "connect", args: [], kwargs: { routepath: "/kw-path", action: "kw" } },
    ],
  },
  {
    name: "connect inline regex requirements",
    calls: [
      { op: "connect", args: ["/servers/{id:\\d+}"], kwargs: { controller: "s", action: "show" } },
      {
        op: "connect",
        args: ["detail", "/servers/{server_id:[0-9a-f-]+}/ips/{network}{.format}"],
        kwargs: { controller: "ips", action: "show" },
      },
      { op: "connect", args: ["/x/{a:b:c}/{n:\\d{2}}"], kwargs: { controller: "odd" } },
    ],
  },
  {
    name: "connect requirements kwarg merged with inline regex",
    calls: [
      {
        op: "connect",
        args: ["/things/:(id)/{rev:\\d+}"],
        kwargs: { controller: "t", action: "show", requirements: { id: "[0-9]+" } },
      },
    ],
  },
  {
    name: "connect extra defaults are str()-ed",
    calls: [
      {
        op: "connect",
        args: ["/x"],
        kwargs: {
          controller: "x",
          action: "go",
          body_reject: true,
          disabled: false,
          count: 3,
          ratio: 1.5,
          tags: ["a", "b'c"],
          opts: { k: "v", n: null, b: true },
          nothing: null,
          empty: "",
          allowed_methods: "GET, POST",
        },
      },
    ],
  },
  {
    name: "connect with explicit=False mapper adds implicit defaults",
    mapper: { explicit: false },
    calls: [
      { op: "connect", args: [":controller/:action/:id"] },
      { op: "connect", args: ["/a/:id"] },
      { op: "connect", args: ["/b/{action}"], kwargs: { controller: null } },
      { op: "connect", args: ["/c/:(id)"], kwargs: { id: "7", _explicit: true } },
    ],
  },
  {
    name: "connect _minimize/_explicit/_static and underscore kwargs",
    calls: [
      { op: "connect", args: ["/m/x"], kwargs: { controller: "m", _minimize: true } },
      { op: "connect", args: ["/e/:id"], kwargs: { _explicit: false } },
      { op: "connect", args: ["static", "http://example.com/{x}"], kwargs: { _static: true } },
      {
        op: "connect",
        args: ["/u"],
        kwargs: {
          controller: "u",
          _filter: "f",
          _absolute: true,
          _encoding: "latin-1",
          _custom: 1,
        },
      },
    ],
  },
  {
    name: "connect odd conditions",
    calls: [
      { op: "connect", args: ["/s"], kwargs: { controller: "s", conditions: { method: "GET" } } },
      { op: "connect", args: ["/l"], kwargs: { controller: "l", conditions: { method: ["get"] } } },
      {
        op: "connect",
        args: ["/d"],
        kwargs: { controller: "d", conditions: { sub_domain: true } },
      },
      { op: "connect", args: ["/e"], kwargs: { controller: "e", conditions: {} } },
    ],
  },
  {
    name: "connect escapes, wildcards and dash-terminated vars",
    calls: [
      { op: "connect", args: ["/a\\:b/:(id)-:(x)"], kwargs: { controller: "a" } },
      { op: "connect", args: ["/files/*path"], kwargs: { controller: "f" } },
      { op: "connect", args: ["/v/:id-:rev.json"], kwargs: { controller: "v" } },
    ],
  },

  // ---- Mapper.resource -----------------------------------------------------------------
  { name: "resource plain", calls: [{ op: "resource", args: ["message", "messages"] }] },
  {
    name: "resource with collection/member/new actions",
    calls: [
      {
        op: "resource",
        args: ["message", "messages"],
        kwargs: {
          collection: { rss: "GET", bulk: "put", search: "get", purge: "DELETE" },
          member: { mark: "POST", lock: "delete", edit: "POST", preview: "get" },
          new: { preview: "POST", draft: "get" },
        },
      },
    ],
  },
  {
    name: "resource parent_resource",
    calls: [
      {
        op: "resource",
        args: ["location", "locations"],
        kwargs: { parent_resource: { member_name: "region", collection_name: "regions" } },
      },
    ],
  },
  {
    name: "resource parent_resource with path_prefix override",
    calls: [
      {
        op: "resource",
        args: ["location", "locations"],
        kwargs: {
          parent_resource: { member_name: "region", collection_name: "regions" },
          path_prefix: "areas/:area_id",
        },
      },
    ],
  },
  {
    name: "resource parent_resource with empty name_prefix",
    calls: [
      {
        op: "resource",
        args: ["location", "locations"],
        kwargs: {
          parent_resource: { member_name: "region", collection_name: "regions" },
          name_prefix: "",
        },
      },
    ],
  },
  {
    name: "resource path_prefix, name_prefix, controller",
    calls: [
      {
        op: "resource",
        args: ["message", "messages"],
        kwargs: {
          controller: "categories",
          path_prefix: "/category/:category_id",
          name_prefix: "category_",
        },
      },
    ],
  },
  {
    name: "resource requirements (shared dict, overridden on member routes)",
    calls: [
      {
        op: "resource",
        args: ["message", "messages"],
        kwargs: {
          path_prefix: "{project_id}/",
          requirements: { project_id: "\\d+" },
          member: { mark: "POST" },
          collection: { detail: "GET" },
        },
      },
    ],
  },
  {
    name: "resource inline regex in path_prefix",
    calls: [
      {
        op: "resource",
        args: ["server", "servers"],
        kwargs: { path_prefix: "/{project_id:[0-9a-f]+}" },
      },
      {
        op: "resource",
        args: ["volume", "volumes"],
        kwargs: { path_prefix: "/{tenant:[a-z]+}", requirements: { other: "x" } },
      },
    ],
  },
  {
    name: "resource ignores unrelated kwargs",
    calls: [
      {
        op: "resource",
        args: ["message", "messages"],
        kwargs: {
          controller: "msgctl",
          conditions: { method: ["PATCH"] },
          body_reject: true,
          _filter: "flt",
        },
      },
    ],
  },
  {
    name: "resource 'any' methods",
    calls: [
      {
        op: "resource",
        args: ["item", "items"],
        kwargs: { member: { poke: "any", lock: "any" }, collection: { ping: "any" } },
      },
    ],
  },
  {
    name: "resource on explicit=False mapper",
    mapper: { explicit: false },
    calls: [
      { op: "resource", args: ["message", "messages"], kwargs: { member: { mark: "POST" } } },
    ],
  },
  {
    name: "resource slashes stripped once",
    calls: [
      { op: "resource", args: ["thing", "/things/"], kwargs: { path_prefix: "/" } },
      { op: "resource", args: ["doc", "docs"], kwargs: { path_prefix: "//v1//" } },
    ],
  },

  // ---- collection / SubMapper ----------------------------------------------------------
  { name: "collection plain", calls: [{ op: "collection", args: ["entries", "entry"] }] },
  {
    name: "collection member_prefix and path_prefix",
    calls: [
      {
        op: "collection",
        args: ["entries", "entry"],
        kwargs: { path_prefix: "/v1/{project_id}", member_prefix: "/{entry_id}" },
      },
    ],
  },
  {
    name: "collection custom actions, unformatted, links",
    calls: [
      {
        op: "collection",
        args: ["entries", "entry"],
        kwargs: {
          collection_actions: ["index", "create"],
          member_actions: ["show"],
          formatted: false,
        },
        calls: [
          { op: "link", args: ["recent"], kwargs: { name: "recent_entries" } },
          { op: "action", kwargs: { name: "bulk", method: "PUT" } },
          { op: "new" },
          {
            op: "member",
            calls: [
              { op: "link", args: ["ping"], kwargs: { method: "POST", formatted: true } },
              { op: "edit" },
              { op: "action", kwargs: { action: "patch", method: "PATCH" } },
              { op: "update", kwargs: { formatted: true } },
            ],
          },
        ],
      },
    ],
  },
  {
    name: "collection links with docstring semantics",
    calls: [
      {
        op: "collection",
        args: ["entries", "entry"],
        calls: [
          { op: "link", args: ["recent"], kwargs: { name: "recent_entries" } },
          { op: "link", kwargs: { name: "stats", action: "statistics", method: null } },
          { op: "member", calls: [{ op: "link", args: ["ping"], kwargs: { method: "POST" } }] },
        ],
      },
    ],
  },
  {
    name: "collection controller, requirements and conditions kwargs",
    calls: [
      {
        op: "collection",
        args: ["servers", "server"],
        kwargs: {
          controller: "ctl",
          requirements: { id: "\\d+" },
          conditions: { sub_domain: ["a"] },
          body_reject: true,
        },
      },
    ],
  },
  {
    name: "collection with None collection_name",
    calls: [{ op: "collection", args: [null, "thing"], kwargs: { path_prefix: "/x" } }],
  },
  {
    name: "collection member_options",
    calls: [
      {
        op: "collection",
        args: ["ports", "port"],
        kwargs: { member_options: { requirements: { id: UUID }, formatted: false } },
      },
    ],
  },
  {
    name: "Neutron _map_resource idiom",
    calls: [
      {
        op: "collection",
        args: ["networks", "network"],
        kwargs: {
          controller: "net_ctl",
          requirements: { id: UUID, format: "json" },
          path_prefix: "/v2.0",
          collection_actions: ["index", "create"],
          member_actions: ["show", "update", "delete"],
        },
      },
      {
        op: "collection",
        args: ["ports", "port"],
        kwargs: {
          controller: "port_ctl",
          requirements: { id: UUID, format: "json" },
          path_prefix: "/v2.0/networks/{network_id}",
          member_options: {},
        },
      },
      { op: "connect", args: ["index", "/"], kwargs: { controller: "index_ctl" } },
    ],
    requests: [
      ["GET", "/v2.0/networks"],
      ["GET", "/v2.0/networks.json"],
      ["GET", "/v2.0/networks.xml"],
      ["POST", "/v2.0/networks"],
      ["GET", "/v2.0/networks/0f5c1a52-1ab1-4d2b-9c3e-2f1d3e4a5b6c"],
      ["GET", "/v2.0/networks/not-a-uuid"],
      ["DELETE", "/v2.0/networks/0f5c1a52-1ab1-4d2b-9c3e-2f1d3e4a5b6c.json"],
      ["PATCH", "/v2.0/networks/0f5c1a52-1ab1-4d2b-9c3e-2f1d3e4a5b6c"],
      ["GET", "/v2.0/networks/0f5c1a52-1ab1-4d2b-9c3e-2f1d3e4a5b6c/ports"],
      ["GET", "/"],
      ["GET", "/v2.0/"],
    ],
  },
  {
    name: "submapper path_prefix and controller inheritance",
    calls: [
      {
        op: "submapper",
        kwargs: { path_prefix: "/v1", controller: "c", action: "dflt" },
        calls: [
          { op: "connect", args: ["named", "/x"], kwargs: { action: "a" } },
          { op: "connect", args: ["/y"] },
          { op: "connect", args: [null, "/z"], kwargs: { controller: "other" } },
          { op: "connect", args: ["/w"], kwargs: { path_prefix: "/ignored" } },
        ],
      },
      {
        op: "submapper",
        kwargs: { controller: "c2" },
        calls: [
          { op: "connect", args: ["n2", "/a"], kwargs: { path_prefix: "/leaks-as-default" } },
        ],
      },
    ],
  },
  {
    name: "nested submappers concatenate prefixes and merge dicts",
    calls: [
      {
        op: "submapper",
        kwargs: {
          path_prefix: "/v1",
          name_prefix: "v1_",
          controller: "c",
          conditions: GET,
          requirements: { tenant: "[a-z]+" },
        },
        calls: [
          {
            op: "submapper",
            kwargs: { path_prefix: "/things", name_prefix: "things_", action: "list" },
            calls: [
              { op: "connect", args: ["all", "/all"] },
              { op: "connect", args: ["sd", "/sd"], kwargs: { conditions: { sub_domain: true } } },
              { op: "connect", args: ["ctl", "/{tenant}/{id:\\d+}"], kwargs: { controller: "d" } },
              {
                op: "connect",
                args: ["req", "/r"],
                kwargs: { requirements: { r: "x" }, conditions: { method: ["POST"] } },
              },
            ],
          },
          { op: "connect", args: ["outer", "/outer"] },
        ],
      },
    ],
  },
  {
    name: "single-arg connect under nested submappers, inner name_prefix only",
    calls: [
      {
        op: "submapper",
        kwargs: { path_prefix: "/v1", controller: "c" },
        calls: [
          {
            op: "submapper",
            kwargs: { path_prefix: "/things", name_prefix: "things_" },
            calls: [
              { op: "connect", args: ["/bare"] },
              { op: "connect", args: ["named", "/named"] },
            ],
          },
        ],
      },
    ],
  },
  {
    name: "submapper actions with collection/resource names",
    calls: [
      {
        op: "submapper",
        kwargs: {
          path_prefix: "/entries",
          collection_name: "entries",
          resource_name: "entry",
          actions: ["index", "new", "create"],
        },
      },
    ],
  },
  {
    name: "submapper action/index/show/create/update/delete",
    calls: [
      {
        op: "submapper",
        kwargs: { path_prefix: "/entries", controller: "entry" },
        calls: [
          { op: "action", kwargs: { action: "index", name: "entries", formatted: true } },
          { op: "action", kwargs: { action: "create", method: "POST" } },
          { op: "index", kwargs: { name: "all_entries" } },
          { op: "show" },
          { op: "update", kwargs: { formatted: false } },
          { op: "delete", kwargs: { conditions: { method: ["DELETE", "POST"] } } },
          { op: "add_actions", args: [["create"]], kwargs: { name: "create2" } },
        ],
      },
    ],
  },
  {
    name: "submapper formatted inheritance",
    calls: [
      {
        op: "submapper",
        kwargs: { path_prefix: "/a", controller: "a", formatted: false },
        calls: [
          {
            op: "submapper",
            kwargs: { path_prefix: "/b" },
            calls: [
              { op: "link", args: ["x"] },
              { op: "link", args: ["y"], kwargs: { formatted: true } },
            ],
          },
          {
            op: "collection",
            args: ["cs", "c"],
            calls: [{ op: "member", calls: [{ op: "link", args: ["z"] }] }],
          },
        ],
      },
    ],
  },
  {
    name: "collection inside submapper",
    calls: [
      {
        op: "submapper",
        kwargs: { path_prefix: "/v2", requirements: { id: "\\d+" }, body_reject: true },
        calls: [{ op: "collection", args: ["images", "image"], kwargs: { controller: "img" } }],
      },
    ],
  },
  {
    name: "Neutron extension submapper idiom",
    calls: [
      {
        op: "submapper",
        kwargs: {
          controller: "ext_ctl",
          action: "index",
          path_prefix: "/v2.0",
          conditions: { method: ["GET"] },
        },
        calls: [
          { op: "connect", args: ["/extensions"] },
          { op: "connect", args: ["/extensions.:(format)"] },
        ],
      },
      {
        op: "submapper",
        kwargs: {
          controller: "ext_ctl",
          action: "show",
          path_prefix: "/v2.0",
          conditions: { method: ["GET"] },
        },
        calls: [
          { op: "connect", args: ["/extensions/{alias}"] },
          { op: "connect", args: ["/extensions/{alias}.:(format)"] },
        ],
      },
    ],
    requests: [
      ["GET", "/v2.0/extensions"],
      ["GET", "/v2.0/extensions.json"],
      ["POST", "/v2.0/extensions"],
      ["GET", "/v2.0/extensions/router"],
      ["GET", "/v2.0/extensions/dns.domain.json"],
      ["GET", "/v2.0/extensions/a/b"],
    ],
  },
  {
    // Routes tries the longest static prefix first, not matchlist order.
    name: "matching: longer static prefix wins over an earlier route",
    calls: [
      { op: "connect", args: ["/{kind}/tags"], kwargs: { controller: "any", action: "tags" } },
      { op: "connect", args: ["/networks/tags"], kwargs: { controller: "net", action: "tags" } },
      { op: "connect", args: ["/networks/{id}"], kwargs: { controller: "net", action: "show" } },
      { op: "connect", args: ["/networks/{id}/"], kwargs: { controller: "net", action: "slash" } },
      { op: "connect", args: ["/files/*path"], kwargs: { controller: "files", action: "get" } },
      { op: "connect", args: ["/a/{x:\\d+}-{y}"], kwargs: { controller: "ab", action: "go" } },
    ],
    requests: [
      ["GET", "/networks/tags"],
      ["GET", "/ports/tags"],
      ["GET", "/networks/42"],
      ["GET", "/networks/42/"],
      ["GET", "/files/x/y.txt"],
      ["GET", "/a/12-b"],
      ["GET", "/a/x-b"],
      ["GET", "/nothing"],
    ],
  },
  {
    name: "matching: resource routes, new before show, member actions and formats",
    calls: [
      {
        op: "resource",
        args: ["router", "routers"],
        kwargs: {
          controller: "r",
          member: { add_router_interface: "PUT" },
          collection: { detail: "GET" },
          path_prefix: "/qos",
        },
      },
    ],
    requests: [
      ["GET", "/qos/routers"],
      ["GET", "/qos/routers/new"],
      ["GET", "/qos/routers/detail"],
      ["GET", "/qos/routers/detail.json"],
      ["GET", "/qos/routers/7"],
      ["GET", "/qos/routers/7/edit"],
      ["PUT", "/qos/routers/7/add_router_interface"],
      ["PUT", "/qos/routers/7/add_router_interface.json"],
      ["POST", "/qos/routers/7/add_router_interface"],
      ["PUT", "/qos/routers/7"],
      ["DELETE", "/qos/routers/7.json"],
    ],
  },
  {
    name: "Glance reject-method idiom",
    calls: [
      {
        op: "connect",
        args: ["/images"],
        kwargs: { controller: "images", action: "index", conditions: { method: ["GET"] } },
      },
      {
        op: "connect",
        args: ["/images"],
        kwargs: { controller: "images", action: "create", conditions: { method: ["POST"] } },
      },
      {
        op: "connect",
        args: ["/images"],
        kwargs: { controller: "reject", action: "reject", allowed_methods: "GET, POST" },
      },
    ],
  },
  {
    name: "Nova versions root + redirect",
    calls: [
      {
        op: "connect",
        args: ["versions", "/"],
        kwargs: { controller: "versions", action: "show", conditions: GET },
      },
      { op: "redirect", args: ["", "/"] },
    ],
  },
  {
    name: "redirect routes",
    calls: [
      { op: "redirect", args: ["/legacyapp/archives/{url:.*}", "/archives/{url}"] },
      {
        op: "redirect",
        args: ["/home/index", "/"],
        kwargs: { _redirect_code: "301 Moved Permanently" },
      },
      {
        op: "redirect",
        args: ["/old", "/new"],
        kwargs: { conditions: GET, _filter: "f", _explicit: false, controller: "x" },
      },
    ],
  },
  {
    name: "redirect on explicit=False mapper",
    mapper: { explicit: false },
    calls: [{ op: "redirect", args: ["/a/:id", "/b/:id"] }],
  },

  // ---- failures must match Python's exception type -------------------------------------
  {
    name: "error: single-arg connect on submapper without path_prefix",
    calls: [
      { op: "submapper", kwargs: { controller: "c" }, calls: [{ op: "connect", args: ["/x"] }] },
    ],
  },
  {
    name: "error: single-arg connect when both nested submappers have name_prefix",
    calls: [
      {
        op: "submapper",
        kwargs: { path_prefix: "/v1", name_prefix: "v1_" },
        calls: [
          {
            op: "submapper",
            kwargs: { path_prefix: "/things", name_prefix: "things_" },
            calls: [{ op: "connect", args: ["/bare"] }],
          },
        ],
      },
    ],
  },
  {
    name: "error: link without rel or name",
    calls: [{ op: "collection", args: ["es", "e"], calls: [{ op: "link" }] }],
  },
  {
    name: "error: parent_resource missing key",
    calls: [
      { op: "resource", args: ["a", "as"], kwargs: { parent_resource: { member_name: "p" } } },
    ],
  },
  {
    name: "error: duplicate keyword via index",
    calls: [
      { op: "collection", args: ["es", "e"], calls: [{ op: "index", kwargs: { method: "POST" } }] },
    ],
  },
  { name: "error: connect without arguments", calls: [{ op: "connect" }] },
  {
    name: "error: actions given as a string",
    calls: [{ op: "submapper", kwargs: { path_prefix: "/x", actions: "index" } }],
  },
  { name: "error: unknown method", calls: [{ op: "frobnicate", args: [] }] },
];
