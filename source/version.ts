declare const __CL_EXPORTS_VERSION__: string;

/** The package version, injected by the bundler (and by vitest's `define` in tests). */
export const version: string = typeof __CL_EXPORTS_VERSION__ === 'string' ? __CL_EXPORTS_VERSION__ : '0.0.0-dev';

export const userAgent = `cl-exports/${version} (+node ${process.versions.node})`;
