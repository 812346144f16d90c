// node --test: the ZIP container of the XLSX writer (src/xlsx.js) and the CSV text of
// table downloads (src/download.js). tests/test_frontend_unit.py also opens the workbook
// with Python's zipfile (CRC check) and openpyxl.
import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { xlsxBytes, zipStore } from "../src/core/xlsx.js";
import { csvText } from "../src/core/downloads.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Entries of a stored ZIP read back through its central directory. */
function readZip(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = bytes.length - 22;
  assert.equal(dv.getUint32(eocd, true), 0x06054b50, "end of central directory");
  const count = dv.getUint16(eocd + 10, true);
  const cdSize = dv.getUint32(eocd + 12, true);
  let p = dv.getUint32(eocd + 16, true);
  assert.equal(p + cdSize, eocd, "central directory ends where the end record starts");
  const out = [];
  for (let k = 0; k < count; k++) {
    assert.equal(dv.getUint32(p, true), 0x02014b50, "central directory header");
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    const size = dv.getUint32(p + 20, true);
    const nameLen = dv.getUint16(p + 28, true);
    const local = dv.getUint32(p + 42, true);
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    assert.equal(dv.getUint32(local, true), 0x04034b50, "local header");
    assert.equal(dv.getUint16(local + 26, true), nameLen);
    const start = local + 30 + nameLen + dv.getUint16(local + 28, true);
    out.push({ name, method, crc, data: bytes.subarray(start, start + size) });
    p += 46 + nameLen;
  }
  return out;
}

test("zipStore: stored entries with their CRC-32 and UTF-8 names, deterministic", () => {
  const files = [
    { name: "a.txt", data: enc.encode("hello") },
    { name: "目录/数据.xml", data: enc.encode("<x>广东</x>") },
    { name: "empty", data: new Uint8Array(0) },
  ];
  const z = zipStore(files);
  const entries = readZip(z);
  assert.deepEqual(entries.map((e) => e.name), ["a.txt", "目录/数据.xml", "empty"]);
  for (const [k, e] of entries.entries()) {
    assert.equal(e.method, 0);
    assert.deepEqual(Array.from(e.data), Array.from(files[k].data));
  }
  assert.equal(entries[0].crc, 0x3610a686); // CRC-32 of "hello"
  if (zlib.crc32) for (const e of entries) assert.equal(e.crc, zlib.crc32(e.data));
  assert.deepEqual(Array.from(zipStore(files)), Array.from(z));
});

test("xlsxBytes: content types, workbook, one worksheet part per sheet, cells typed", () => {
  const bytes = xlsxBytes([
    { name: "data", rows: [["code", "value", "flag"], ["25", 277.9, true], ["a<b&c", null, false], [1e-7, -3]] },
    { name: "metadata", rows: [["synthetic", "true"], ["citation", "Shan et al. 2018 \u0001"]] },
  ]);
  const entries = Object.fromEntries(readZip(bytes).map((e) => [e.name, dec.decode(e.data)]));
  assert.deepEqual(Object.keys(entries), [
    "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
    "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
  ]);
  assert.match(entries["xl/workbook.xml"], /<sheet name="data" sheetId="1" r:id="rId1"\/><sheet name="metadata" sheetId="2" r:id="rId2"\/>/);
  const s1 = entries["xl/worksheets/sheet1.xml"];
  assert.match(s1, /<c r="B2"><v>277.9<\/v><\/c>/);
  assert.match(s1, /<c r="C2" t="b"><v>1<\/v><\/c>/);
  assert.match(s1, /<c r="A3" t="inlineStr"><is><t xml:space="preserve">a&lt;b&amp;c<\/t><\/is><\/c>/);
  assert.ok(!/r="B3"/.test(s1), "empty cells are left out");
  assert.match(s1, /<c r="A4"><v>1e-7<\/v><\/c><c r="B4"><v>-3<\/v><\/c>/);
  assert.ok(!entries["xl/worksheets/sheet2.xml"].includes("\u0001"), "characters XML forbids are dropped");
});

test("csvText: metadata comments, a units line, codes as header, raw numbers, quoting", () => {
  const text = csvText(
    [{ field: "code", title: "Code" }, { field: "label", title: "Sector" }, { field: "value", title: "CO2", unit: "Mt CO2" }],
    [
      { code: "25", label: "Power, heat", value: 277.91234567 },
      { code: "07", label: 'Say "hi"', value: null },
      { code: "#1", label: " padded", value: Infinity },
    ],
    { dataset: "demo", synthetic: "true", note: "two\nlines" },
  );
  assert.equal(
    text,
    [
      "# dataset: demo",
      "# synthetic: true",
      "# note: two lines",
      "# units: value=Mt CO2",
      "code,label,value",
      '25,"Power, heat",277.91234567',
      '07,"Say ""hi""",',
      '"#1"," padded",',
      "",
    ].join("\r\n"),
  );
});
