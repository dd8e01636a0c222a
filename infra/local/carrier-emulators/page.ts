/**
 * The emulators' control page: every parcel with buttons for its next events, the webhook
 * attempts, the timer, the faults and the fee tables. Vietnamese, readable at 360 px.
 */
import { FEE_TABLES, ZONE_NAMES } from './fees.ts';
import type { Zone } from './master-data.ts';
import { EMULATED_CARRIERS, STEP_LABELS, emulationOf, type CarrierEmulator } from './emulator.ts';

const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đ`;
const esc = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function controlPage(emulator: CarrierEmulator): string {
  const parcels = emulator.parcels().slice().reverse();
  const deliveries = emulator.deliveries();
  const rows = parcels
    .map((p) => {
      const emulation = emulationOf(p.carrier);
      const buttons = emulation
        .next(p.status)
        .map(
          (step) =>
            `<form method="post" action="/emulator/parcels/${p.carrier}/${encodeURIComponent(p.code)}/${step}"><button>${STEP_LABELS[step]}</button></form>`,
        )
        .join('');
      const hooks = deliveries
        .filter((d) => d.carrier === p.carrier && d.parcelCode === p.code)
        .map(
          (d) =>
            `<li>${esc(d.status)}: ${d.state === 'delivered' ? 'đã gửi' : d.state === 'failed' ? 'thất bại' : 'đang gửi'} — ${d.attempts.length} lần${d.attempts.length ? ` (lần cuối: ${esc(d.attempts.at(-1)!.result)})` : ''}</li>`,
        )
        .join('');
      return `<article class="parcel">
  <h3>${esc(emulation.name)} · <span class="code">${esc(p.code)}</span></h3>
  <p>Mã đơn sàn: <b>${esc(p.clientCode)}</b> · Trạng thái: <b>${esc(p.status)}</b></p>
  <p>Phí ${vnd(p.fee.total)} · Thu hộ ${vnd(p.codAmount)} · ${p.weightGrams} g · ${ZONE_NAMES[p.zone]}</p>
  <p>Nhận: ${esc(p.to.name)}, ${esc(p.to.ward.name)}</p>
  <div class="buttons">${buttons || '<i>Không còn bước nào</i>'}</div>
  <details><summary>Webhook (${deliveries.filter((d) => d.carrier === p.carrier && d.parcelCode === p.code).length})</summary><ul>${hooks}</ul></details>
</article>`;
    })
    .join('\n');
  const tables = EMULATED_CARRIERS.map((carrier) => {
    const t = FEE_TABLES[carrier];
    const zones = Object.keys(ZONE_NAMES) as Zone[];
    return `<h3>${esc(emulationOf(carrier).name)}</h3>
<table><tr><th>Vùng</th><th>500 g đầu</th><th>Mỗi 500 g thêm</th><th>Giao trong</th></tr>
${zones.map((z) => `<tr><td>${ZONE_NAMES[z]}</td><td>${vnd(t.base[z])}</td><td>${vnd(t.perExtra500g[z])}</td><td>${t.leadDays[z]} ngày</td></tr>`).join('')}
</table>
<p>Phí thu hộ: ${(t.codRate * 100).toLocaleString('vi-VN')} % tiền thu hộ. Bảo hiểm: ${(t.insuranceRate * 100).toLocaleString('vi-VN')} % giá trị khai báo từ ${vnd(t.insuranceFrom)}. <a href="/${carrier}/cod-statement.csv">Tải bảng đối soát COD (CSV)</a></p>`;
  }).join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Giả lập đơn vị vận chuyển</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;padding:12px;max-width:760px;line-height:1.4;overflow-wrap:anywhere}
code{word-break:break-all}
.parcel{border:1px solid #ccc;border-radius:8px;padding:8px 12px;margin:12px 0;overflow-wrap:anywhere}
.parcel h3{margin:0 0 4px;font-size:1.05rem}.parcel p{margin:2px 0}
.buttons{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}
button{min-height:44px;padding:0 12px;font-size:1rem}
table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.85rem}td,th{border:1px solid #ccc;padding:4px;text-align:left}
form.inline{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:8px 0}label{display:flex;flex-wrap:wrap;gap:4px;align-items:center}input{min-height:40px;width:6rem;box-sizing:border-box}
</style></head><body>
<h1>Giả lập GHN / GHTK</h1>
<p>Webhook gửi tới: <code>${esc(emulator.options.siteUrl ?? '(chưa cấu hình)')}/api/carriers/{hãng}/webhook</code>, thử lại tối đa ${emulator.options.webhookAttempts ?? 5} lần.</p>
<form class="inline" method="post" action="/emulator/auto"><label>Tự chuyển bước mỗi (ms) <input name="intervalMs" inputmode="numeric" value="${emulator.options.autoAdvanceMs ?? 0}"></label><button>Đặt hẹn giờ</button></form>
<form class="inline" method="post" action="/emulator/faults"><label>Làm chậm <input name="calls" inputmode="numeric" value="1"> lần gọi</label><label>thêm (ms) <input name="delayMs" inputmode="numeric" value="10000"></label><button>Làm chậm</button></form>
<h2>Đơn hàng (${parcels.length})</h2>
${rows || '<p>Chưa có đơn nào.</p>'}
<h2>Bảng phí</h2>
${tables}
</body></html>`;
}
