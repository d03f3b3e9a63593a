# tonghop: the commands a newcomer runs. Only the Rust toolchain is needed.
CARGO ?= cargo
BIN := target/release/tonghop

.PHONY: run test build bench fuzz hostile samples fixtures screenshots verify-libreoffice lint fmt clean serve load

# Build, then consolidate the shipped samples with the built-in schema:
# writes out/tong-hop-2024-06.xlsx, out/bao-cao.json and out/phan-hoi-2024-06/.
run: build
	mkdir -p out
	cd out && ../$(BIN) run ../samples --json bao-cao.json

build:
	$(CARGO) build --release --locked

# The web inbox on a copy of the samples (out/kho), on this machine only:
# prints the clerk's link and one per hamlet. Stop with Ctrl+C.
serve: build
	rm -rf out/kho && mkdir -p out/kho && cp -r samples/2024-05 out/kho/
	$(BIN) serve out/kho

# A bounded load test of the web inbox on the loopback: concurrent uploads
# for a fixed time, then latency percentiles (BENCHMARKS.md).
load: build
	$(CARGO) run --release --locked --example load -- $(BIN)

# Every test: unit tests, and integration tests that run the binary.
test:
	$(CARGO) test --locked

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets --locked -- -D warnings

fmt:
	$(CARGO) fmt

# Regenerate samples/ (needs Python with openpyxl, xlwt and odfpy from PyPI).
samples:
	python3 -m pip install --quiet openpyxl==3.1.5 xlwt==1.3.0 odfpy==1.4.1
	python3 tools/make_samples.py

# Regenerate tests/fixtures/ (also needs pyxlsbwriter, and LibreOffice for the .xlsm).
fixtures:
	python3 -m pip install --quiet openpyxl==3.1.5 xlwt==1.3.0 odfpy==1.4.1 pyxlsbwriter==0.1.0
	python3 tools/make_fixtures.py

# Render every sheet of the samples' summary workbook to PNG (out/screenshots/),
# through LibreOffice and pdftoppm, installed from Debian's packages if missing.
screenshots:
	sh tools/screenshots.sh

# Open the samples' workbook in LibreOffice with recalculation forced and check
# that every live total it computes is the one in the JSON report; then save
# every hamlet's form through LibreOffice as .xlsx, .ods and .xls and check
# that each reads back with no finding (tools/forms_roundtrip.sh).
verify-libreoffice: run
	python3 tools/verify_libreoffice.py out/tong-hop-2024-06.xlsx out/bao-cao.json
	sh tools/forms_roundtrip.sh

# The benchmark: a synthetic archive (1,440 workbooks and more), tonghop against
# a calamine-only baseline; prints ratio, files/s and peak memory (BENCHMARKS.md).
bench:
	$(CARGO) bench --locked --bench archive -- --out out/bench.md

# Fuzz every reading path for FUZZ_SECONDS each (default 60), with cargo-fuzz
# on the nightly toolchain (both installed by the script if missing).
fuzz:
	sh tools/fuzz.sh

# Write the hostile files of tests/hostile into out/hostile, to run tonghop on.
hostile:
	$(CARGO) run --release --example hostile -- out/hostile

clean:
	rm -rf out
