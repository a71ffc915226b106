// The one typed protocol shared by server and clients: zod schemas for what clients send,
// types for what the server answers and emits.
export * from './common';
export * from './auth';
export * from './exam';
export * from './sessions';
