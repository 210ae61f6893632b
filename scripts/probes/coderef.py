"""What the probes report about a live function: qualified name, file and `def` line."""
import inspect
import os


def def_line(func):
    """The line of the `def` itself, after any decorators."""
    lines, start = inspect.getsourcelines(func)
    for offset, text in enumerate(lines):
        if text.lstrip().startswith(("def ", "async def ")):
            return start + offset
    return start


def code_ref(func, root):
    """Where a function is defined, with its file relative to the search root."""
    func = inspect.unwrap(func)
    return {
        "qualname": "%s.%s" % (func.__module__, func.__qualname__),
        "file": os.path.relpath(inspect.getsourcefile(func), root),
        "line": def_line(func),
    }
