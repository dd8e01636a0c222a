export * from './emulator.ts';
export * from './server.ts';
