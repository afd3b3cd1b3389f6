/**
 * Naive UI's English texts without its generic "Please Input" / "Please Select" placeholders: an
 * empty box says nothing rather than something that reads as a bug; fields that need a hint give
 * their own placeholder.
 */
import { createLocale, enUS, type NLocale } from 'naive-ui'

export const APP_LOCALE: NLocale = createLocale(
  {
    Input: { placeholder: '' },
    InputNumber: { placeholder: '' },
    Select: { placeholder: '' },
    Cascader: { placeholder: '' }
  },
  enUS
)
