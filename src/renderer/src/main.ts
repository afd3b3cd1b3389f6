import { createApp } from 'vue'
import { createPinia } from 'pinia'
import AppRoot from './AppRoot.vue'
import './styles.css'

createApp(AppRoot).use(createPinia()).mount('#app')
