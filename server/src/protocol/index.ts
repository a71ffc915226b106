// The one typed protocol shared by server and clients: zod schemas for what clients send,
// types for what the server answers and emits.
export * from './common';
export * from './auth';
export * from './exam';
export * from './sessions';
export * from './bank';
export * from './papers';
export * from './people';
export * from './integrity';
export * from './grading';
export * from './proctoring';
export * from './audit';
export * from './planning';
export * from './conduct';
export * from './official-grant';
export * from './regulator';
export * from './regulator-admin';
export * from './regulator-view';
export * from './link-centre';
