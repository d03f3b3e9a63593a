#!/bin/sh
# Renders every sheet of the summary workbook of samples/, a hamlet's form
# and a hamlet's feedback workbook to PNG, for a
# person to look at: LibreOffice (headless) prints it to PDF as it would on
# paper, pdftoppm turns each page into a picture. Installs both from Debian's
# packages when they are missing.
set -eu
cd "$(dirname "$0")/.."
# Carlito has Calibri's metrics: column widths are counted in the default
# font's digits, and without it LibreOffice lays the sheets out a third wider
# (and prints them smaller) than Excel does.
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 \
    || ! fc-list 2>/dev/null | grep -qi carlito; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q libreoffice-calc-nogui poppler-utils fonts-liberation fonts-crosextra-carlito
fi
cargo build --release --locked
out=out/screenshots
rm -rf "$out"
mkdir -p "$out"
./target/release/tonghop run samples -o "$out/tong-hop.xlsx" --json "$out/bao-cao.json"
# A form a hamlet is sent (pre-filled from the samples), and the feedback a
# hamlet with mistakes gets back.
./target/release/tonghop template samples --hamlet "Lạc Sơn" --period 2024-07 -o "$out/bieu-mau.xlsx"
cp "$out/phan-hoi-2024-06/Phan hoi lac-hoa 2024-06.xlsx" "$out/phan-hoi.xlsx"
# A profile of its own, so a running LibreOffice or a first-start dialog does not interfere.
soffice -env:UserInstallation="file://$PWD/$out/.lo-profile" --headless --convert-to pdf --outdir "$out" \
    "$out/tong-hop.xlsx" "$out/bieu-mau.xlsx" "$out/phan-hoi.xlsx" >/dev/null
pdftoppm -r 110 -png "$out/tong-hop.pdf" "$out/trang"
pdftoppm -r 110 -png "$out/bieu-mau.pdf" "$out/bieu-mau"
pdftoppm -r 110 -png "$out/phan-hoi.pdf" "$out/phan-hoi"
rm -rf "$out/.lo-profile"
echo "Các trang in của bảng tổng hợp: $(ls "$out"/trang-*.png | tr '\n' ' ')"
echo "Biểu mẫu thôn: $(ls "$out"/bieu-mau-*.png | tr '\n' ' ')"
echo "Phản hồi cho thôn: $(ls "$out"/phan-hoi-*.png | tr '\n' ' ')"
