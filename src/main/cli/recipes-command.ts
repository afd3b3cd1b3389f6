/** `recipes`: the proven recipes, what each trains and what it reached when measured here. */
import { describeProvenRecipe, PROVEN_RECIPE_IDS, PROVEN_RECIPES } from '@shared/proven-recipes'
import type { Flags } from './args'

export function recipesCommand(flags: Flags): number {
  const recipes = PROVEN_RECIPE_IDS.map((id) => PROVEN_RECIPES[id])
  if (flags.json) {
    process.stdout.write(JSON.stringify(recipes) + '\n')
    return 0
  }
  for (const r of recipes) {
    process.stdout.write(
      `${r.id}  ${r.title}\n` +
        `  ${r.description}\n` +
        `  ${describeProvenRecipe(r)}\n` +
        `  measured: ${r.measured}\n` +
        `  run it: npm run cli -- train --recipe ${r.id}\n\n`
    )
  }
  return 0
}
