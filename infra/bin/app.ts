import { buildApp } from '../app.ts';

// `cdk synth` runs this file (see cdk.json); tests call buildApp() directly.
buildApp().app.synth();
