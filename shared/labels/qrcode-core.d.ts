/** Types for the QR core module of the `qrcode` package (its entry's `create`, without renderers). */
declare module 'qrcode/lib/core/qrcode.js' {
  import type { create } from 'qrcode';
  const QRCode: { create: typeof create };
  export default QRCode;
}
