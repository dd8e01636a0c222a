import { buildApp } from '../app.ts';

// `cdk synth -c env=staging|prod` runs this file (see cdk.json); the environment's settings come
// from infra/env/<env>.json. Tests call buildApp() directly.
buildApp().app.synth();
