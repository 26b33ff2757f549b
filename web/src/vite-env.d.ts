// Types Vite provides to the desk (imports of CSS and assets).
/// <reference types="vite/client" />
