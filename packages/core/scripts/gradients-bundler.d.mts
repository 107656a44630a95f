/** The generated TypeScript module registering tfjs-core's gradient configs (see gradients-bundler.mjs). */
export function renderGradientsModule(): Promise<string>;
