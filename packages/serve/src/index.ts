export * from './create-server.js';
export * from './serve-options.js';
export * from './model-holder.js';
export * from './api-error.js';
export * from './catalog.js';
export * from './schemas.js';
export * from './model-calls.js';
export type { RouteContext, ServeApp } from './route-context.js';
export * from './hostile-requests.js';
