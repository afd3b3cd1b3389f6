import { createApp } from 'vue'
import { createPinia } from 'pinia'
import AppRoot from './AppRoot.vue'
import { transport } from './api/transport'
import './styles.css'

// The transport is chosen once, here: the app's preload bridge, or the browser shell's HTTP client.
try {
  transport()
} catch {
  // No bridge and no server: the client says so on the first call, in the page.
}
createApp(AppRoot).use(createPinia()).mount('#app')
