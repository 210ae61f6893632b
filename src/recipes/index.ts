import libraryApp from "./library-app/index.js";
import neutron from "./neutron/index.js";
import type { Recipe } from "./types.js";
import wsgiApp from "./wsgi-app/index.js";
import wsgiRouter from "./wsgi-router/index.js";

/** Recipes in the order they are asked; the first that applies maps the app. Fallbacks last. */
export const RECIPES: readonly Recipe[] = [neutron, wsgiRouter, wsgiApp, libraryApp];
