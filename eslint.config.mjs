// ESLint as electron-vite's Vue + TypeScript template sets it up (@electron-toolkit/eslint-config-ts,
// eslint-plugin-vue, Prettier's rule switch-off last), without the template's `prettier/prettier`
// rule: formatting is checked by `npm run format:check`, not reported as lint errors.
// Import layering and cycles are checked by dependency-cruiser (.dependency-cruiser.cjs).
import { defineConfig } from 'eslint/config'
import tseslint from '@electron-toolkit/eslint-config-ts'
import eslintPluginVue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import eslintConfigPrettier from 'eslint-config-prettier'

export default defineConfig(
  { ignores: ['**/node_modules', '**/dist', '**/out', 'artifacts/**', '.ci/**'] },
  tseslint.configs.recommended,
  eslintPluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        ecmaFeatures: { jsx: true },
        extraFileExtensions: ['.vue'],
        parser: tseslint.parser
      }
    }
  },
  {
    files: ['**/*.{ts,mts,tsx,vue}'],
    rules: {
      // As in the template.
      'vue/require-default-prop': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/block-lang': ['error', { script: { lang: 'ts' } }],
      // Vue 3 has no filters; the rule misreads a TypeScript union in a template (`x as number | null`).
      'vue/no-deprecated-filter': 'off',
      // TypeScript checks names (typescript-eslint's advice); the core rule does not know DOM and lib types
      // such as CanvasImageSource.
      'no-undef': 'off',
      // The template's own choice (its README): return types are inferred; exported functions
      // in src/ mostly declare them anyway.
      '@typescript-eslint/explicit-function-return-type': 'off',
      // `_name` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }]
    }
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests assert on values they just built (`runs[0]!.id`); a failed assumption fails the test.
      '@typescript-eslint/no-non-null-assertion': 'off'
    }
  },
  eslintConfigPrettier
)
