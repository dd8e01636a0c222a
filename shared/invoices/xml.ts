/**
 * The invoice as the General Department of Taxation's XML (Quyết định 1450/QĐ-TCT, "Định dạng dữ
 * liệu hóa đơn điện tử"): HDon / DLHDon / TTChung, NDHDon (NBan, NMua, DSHHDVu / HHDVu, TToan),
 * then DSCKS where the provider puts the seller's signature. Built with xmlbuilder2; the element
 * names and their order are those of the format document, and schema/hdon.xsd (written from
 * the same document) checks them in tests/unit/einvoice-xml.test.ts.
 */
import { create } from 'xmlbuilder2';
import type { InvoiceDocument } from './model.ts';
import { vatLabel } from './vat.ts';

/** Format version written in PBan. */
export const FORMAT_VERSION = '2.0.0';

/** THDon: the invoice's name as printed. */
const TITLE = 'HÓA ĐƠN GIÁ TRỊ GIA TĂNG';

/** TCHDon: 1 = thay thế (replacement), 2 = điều chỉnh (adjustment). */
const NATURE = { replacement: 1, adjustment: 2 } as const;

const money = (value: number, negative: boolean) => String(negative ? -value : value);

/** The invoice's XML, UTF-8, without signature (the provider signs it). */
export function invoiceXml(
  doc: InvoiceDocument,
  options: { providerTaxCode: string; pretty?: boolean },
): string {
  const neg = doc.kind === 'adjustment' && doc.decrease === true;
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('HDon');
  const data = root.ele('DLHDon', { Id: 'data' });
  const general = data.ele('TTChung');
  general.ele('PBan').txt(FORMAT_VERSION);
  general.ele('THDon').txt(TITLE);
  general.ele('KHMSHDon').txt(doc.templateCode.slice(0, 1));
  general.ele('KHHDon').txt(doc.series);
  general.ele('SHDon').txt(doc.number);
  general.ele('NLap').txt(doc.issuedOn);
  general.ele('DVTTe').txt('VND');
  general.ele('TGia').txt('1');
  general.ele('HTTToan').txt(doc.paymentMethod);
  general.ele('MSTTCGP').txt(options.providerTaxCode);
  if (doc.related && doc.kind !== 'original') {
    const related = general.ele('TTHDLQuan');
    related.ele('TCHDon').txt(String(NATURE[doc.kind]));
    // LHDCLQuan 1: the related invoice is an e-invoice under Decree 123/2020/NĐ-CP.
    related.ele('LHDCLQuan').txt('1');
    related.ele('KHMSHDCLQuan').txt(doc.related.templateCode.slice(0, 1));
    related.ele('KHHDCLQuan').txt(doc.related.series);
    related.ele('SHDCLQuan').txt(doc.related.number);
    related.ele('NLHDCLQuan').txt(doc.related.issuedOn);
    related.ele('GChu').txt(doc.related.note);
  }
  const content = data.ele('NDHDon');
  const seller = content.ele('NBan');
  seller.ele('Ten').txt(doc.seller.legalName);
  seller.ele('MST').txt(doc.seller.taxCode);
  seller.ele('DChi').txt(doc.seller.address);
  const buyer = content.ele('NMua');
  buyer.ele('Ten').txt(doc.buyer.name);
  if (doc.buyer.taxCode) buyer.ele('MST').txt(doc.buyer.taxCode);
  if (doc.buyer.address) buyer.ele('DChi').txt(doc.buyer.address);
  if (doc.buyer.phone) buyer.ele('SDThoai').txt(doc.buyer.phone);
  if (doc.buyer.email) buyer.ele('DCTDTu').txt(doc.buyer.email);
  const items = content.ele('DSHHDVu');
  for (const line of doc.lines) {
    const item = items.ele('HHDVu');
    // TChat 1: goods or services.
    item.ele('TChat').txt('1');
    item.ele('STT').txt(String(line.no));
    item.ele('MHHDVu').txt(line.code);
    item.ele('THHDVu').txt(line.name);
    item.ele('DVTinh').txt(line.unit);
    item.ele('SLuong').txt(String(line.quantity));
    item.ele('DGia').txt(String(line.unitPrice));
    item.ele('ThTien').txt(money(line.amount, neg));
    item.ele('TSuat').txt(vatLabel(line.rate));
  }
  const totals = content.ele('TToan');
  const byRate = totals.ele('THTTLTSuat');
  for (const rate of doc.byRate) {
    const row = byRate.ele('LTSuat');
    row.ele('TSuat').txt(vatLabel(rate.rate));
    row.ele('ThTien').txt(money(rate.amount, neg));
    row.ele('TThue').txt(money(rate.tax, neg));
  }
  totals.ele('TgTCThue').txt(money(doc.totalBeforeTax, neg));
  totals.ele('TgTThue').txt(money(doc.totalTax, neg));
  totals.ele('TgTTTBSo').txt(money(doc.total, neg));
  totals.ele('TgTTTBChu').txt(doc.totalInWords);
  root.ele('DSCKS').ele('NBan');
  return root.end({ prettyPrint: options.pretty ?? true });
}
