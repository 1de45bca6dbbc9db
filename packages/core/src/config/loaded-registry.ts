import type { LoadConfigOptions, LoadedConfig } from './load-config.js';

/** How a loaded config was loaded, so `watchConfig` can load it again the same way. */
export interface LoadRecipe {
  /** The options given to `loadConfig`. */
  options: LoadConfigOptions;
  /** Absolute path of the config file (read, or the default one that was absent). */
  filePath: string;
}

const recipes = new WeakMap<LoadedConfig, LoadRecipe>();

/** Remembers how `loaded` was produced. */
export function rememberRecipe(loaded: LoadedConfig, recipe: LoadRecipe): void {
  recipes.set(loaded, recipe);
}

/** How `loaded` was produced, or undefined for an object `loadConfig` did not return. */
export function recipeOf(loaded: LoadedConfig): LoadRecipe | undefined {
  return recipes.get(loaded);
}
