# tlm: build, test, install.
#
#   make                  release build: tlm (a static executable) and tlm-export (its network half)
#   make demo             build, then run tlm on a real example in a temporary TLM_HOME
#   make check            install test tools if missing, lint, then run the tests
#   make lint             swift format lint --strict, with the project's .swift-format
#   make examples         build and run Examples/RecordSync (README's Swift API code), a package of its own
#   make dist             release files in dist/: tlm and tlm-export .debs, tlm-VERSION-linux-ARCH.tar.gz
#                         (with install.sh), SHA256SUMS; reproducible (packaging/dist.sh)
#   make install          build if needed, then install into $(DESTDIR)$(PREFIX); PREFIX defaults to
#                         /usr/local (make install PREFIX=~/.local needs no root)
#   make uninstall        remove exactly what install put there

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
FUZZ_RUNS ?= 20000
INSTALL ?= install

BINDIR := $(PREFIX)/bin
MANDIR := $(PREFIX)/share/man/man1
BASHDIR := $(PREFIX)/share/bash-completion/completions
ZSHDIR := $(PREFIX)/share/zsh/site-functions
FISHDIR := $(PREFIX)/share/fish/vendor_completions.d

# The release executables `make build` writes (SwiftPM links .build/release to its triple's folder).
BIN ?= .build/release/tlm
EXPORT_BIN ?= .build/release/tlm-export
# tlm-export is built apart (other flags: Foundation cannot be -static-executable), and
# linked against the system's libcurl.so.4 through a link in this folder, so that no
# -dev package is needed. Its gzip links libz.so.1 by that file's name (-l:libz.so.1,
# Package.swift's CZlib), which needs no link: zlib's -l is ours to write, curl's is Foundation's.
EXPORT_BUILD := .build-export
CURL_LINK := $(EXPORT_BUILD)/curl/libcurl.so

# The version, read from the Swift source (its one source of truth), and the commit the
# build is made from, which the release builds compile into `tlm --version`: 7 hex digits,
# -dirty after them when tracked files differ from HEAD; empty outside a git checkout (a
# source archive), and then --version prints the version alone. `make COMMIT=…` overrides it.
VERSION := $(shell sed -n 's/^ *public static let version = "\(.*\)"$$/\1/p' Sources/TLMCLI/CommandSpec.swift)
ifeq ($(origin COMMIT),undefined)
COMMIT := $(shell test -e .git && c=$$(git rev-parse --short=7 HEAD 2>/dev/null) && \
	{ git diff --quiet HEAD -- 2>/dev/null || c=$$c-dirty; echo $$c; })
endif
# Checked here, so that no quote or space in it reaches the compiler's command line.
ifneq ($(shell echo '$(subst ',,$(COMMIT))' | grep -Ex '([0-9a-f]{7,40}(-dirty)?)?'),$(COMMIT))
$(error COMMIT='$(COMMIT)' is not a commit: 7 to 40 hex digits, then -dirty or nothing)
endif
# The commit's time, for every date a build or an archive writes (reproducible-builds.org).
ifeq ($(origin SOURCE_DATE_EPOCH),undefined)
SOURCE_DATE_EPOCH := $(shell test -e .git && git log -1 --format=%ct 2>/dev/null)
endif
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif
# Both release builds': the commit (see Sources/CSystem/build.c), then what makes two clones
# in different folders build the same bytes: this folder mapped to '.' in what the compilers
# write; no path of a clang module cache (it differs by folder) in the debug info; and a zero
# .swift_modhash in each object (else an MD5 of its LLVM module, which names its full path).
RELEASE_FLAGS := -Xcc -DTLM_COMMIT='"$(COMMIT)"' \
	-Xswiftc -file-prefix-map -Xswiftc $(CURDIR)=. -Xcc -ffile-prefix-map=$(CURDIR)=. \
	-Xswiftc -Xfrontend -Xswiftc -no-clang-module-breadcrumbs \
	-Xswiftc -Xfrontend -Xswiftc -disable-incremental-llvm-codegen

.PHONY: all build build-tlm build-export demo hello test lint examples dist check install uninstall clean

all: build

build: build-tlm build-export

build-tlm:
	$(SWIFT) build -c release --static-swift-stdlib -Xswiftc -static-executable $(RELEASE_FLAGS) --product tlm

# Beside tlm, where `tlm export` looks for it. Bound at start (-z now), so that its relocations
# are read-only before any code runs, as Debian's hardening asks (lintian: hardening-no-bindnow).
build-export: build-tlm $(CURL_LINK)
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(EXPORT_BUILD) --product tlm-export \
		$(RELEASE_FLAGS) -Xlinker -L$(dir $(CURL_LINK)) -Xlinker -z -Xlinker now
	cp $(EXPORT_BUILD)/release/tlm-export $(EXPORT_BIN)

$(CURL_LINK):
	@lib=$$(ldconfig -p 2>/dev/null | awk '/libcurl\.so\.4 / {print $$NF; exit}'); \
	test -n "$$lib" || { echo "make: libcurl.so.4 not found: install libcurl4 (Debian) for tlm-export" >&2; exit 1; }; \
	mkdir -p $(dir $@) && ln -sf "$$lib" $@

# A real example, in a temporary TLM_HOME (your own data is not touched): opt in,
# wrap a make target and a failing command (retried, with a logbook), then show
# the status, the events recorded, the logbook, the report, and the Prometheus
# metrics export writes.
demo: build
	@home=$$(mktemp -d); trap 'rm -rf "$$home"' EXIT; export TLM_HOME="$$home/tlm"; \
	set -x; \
	$(BIN) on; \
	$(BIN) run -- $(MAKE) -s --no-print-directory hello G=demo; \
	$(BIN) run --retries 1 --retry-delay 100ms --logbook "$$home/logbook.json" -- sh -c 'exit 3'; \
	$(BIN) status; \
	cat "$$TLM_HOME/usage.jsonl"; \
	cat "$$home/logbook.json"; \
	$(BIN) report --ascii; \
	$(BIN) export prometheus --textfile "$$home/tlm.prom"; \
	grep '^tlm_runs_total' "$$home/tlm.prom"

# The target `make demo` wraps.
hello:
	@echo "hello from make: target 'hello', domain '$(G)'"; sleep 0.2

test:
	$(SWIFT) test

# Every Swift file of the package and of its examples, against .swift-format; a warning fails (--strict).
lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Examples

# README's Swift API example, a package of its own that depends on this one by path, built
# and run in a temporary TLM_HOME (its .build stays in Examples/RecordSync, ignored by git);
# then every line of README's recorder snippets must be a line of its code.
EXAMPLE := Examples/RecordSync
examples:
	$(SWIFT) build --package-path $(EXAMPLE)
	@home=$$(mktemp -d); trap 'rm -rf "$$home"' EXIT; \
	out=$$(env -u DO_NOT_TRACK -u PYTEST_CURRENT_TEST -u TEST_MODE TLM_HOME="$$home" TLM_TELEMETRY=1 \
		$(EXAMPLE)/.build/debug/record-sync) || exit 1; echo "$$out"; \
	case $$out in "telemetry on (environmentOn): 1 event, then 2"*) ;; \
		*) echo "make examples: record-sync did not record its two events" >&2; exit 1;; esac
	@bash $(EXAMPLE)/readme-check.sh README.md $(EXAMPLE)/Sources/record-sync/main.swift

# The release files, from the release build: the .debs (dpkg-deb, unprivileged), the archive
# and SHA256SUMS, every byte a function of the commit (packaging/dist.sh says how). HOMEPAGE
# and MAINTAINER go into the packages' control files: whoever publishes them sets both.
HOMEPAGE ?= https://tlm.example.org
MAINTAINER ?= tlm developers <maintainers@tlm.example.org>
DIST ?= dist
dist: build
	@test -n "$(SOURCE_DATE_EPOCH)" || { echo "make dist: not a git checkout: set SOURCE_DATE_EPOCH (the release's time, in seconds)" >&2; exit 1; }
	VERSION='$(VERSION)' HOMEPAGE='$(HOMEPAGE)' MAINTAINER='$(MAINTAINER)' OUT='$(DIST)' \
		BIN='$(BIN)' EXPORT_BIN='$(EXPORT_BIN)' bash packaging/dist.sh

# The suites that run a second time against the shipped binary (static, release): the run
# path's promises, and a start without /proc, which only the static runtime broke.
STATIC_SUITES ?= NoProcTests|PathBytesTests|RunTests|TransparencyTests|TerminalTests|TimeoutTests|VersionTests

# What CI runs (.ci/run): the tools the tests need (mandoc, groff, zsh, fish…), the lint
# (swift format, strict), the tests,
# the run-path suites again against the static release binary, then a short fuzzing pass
# over every parser (Tests/Fuzz/run.sh; RUNS=200000 for a long one), README's Swift API
# example (make examples), the release files (installed for real with dpkg -i and install.sh,
# then built a second time from another folder to compare bytes: Tests/Dist), and README's
# quick start in a fresh clone (.ci/quickstart.sh).
check:
	bash .ci/deps.sh
	$(MAKE) lint
	$(SWIFT) test
	$(MAKE) build-tlm
	TLM_TEST_BINARY="$(CURDIR)/$(BIN)" $(SWIFT) test --skip-build --filter '$(STATIC_SUITES)'
	RUNS=$(FUZZ_RUNS) bash Tests/Fuzz/run.sh
	$(MAKE) examples
	$(MAKE) dist
	VERSION='$(VERSION)' COMMIT='$(COMMIT)' DIST='$(DIST)' bash Tests/Dist/run.sh
	DIST='$(DIST)' bash Tests/Dist/reproducible.sh
	bash .ci/quickstart.sh

# Installs the release build, building it first when it is missing. Not under sudo:
# `sudo make install` must never leave files owned by root in .build, so as root through
# sudo (SUDO_USER set) with nothing built it stops and says to build as yourself first.
install:
	@if [ ! -x "$(BIN)" ] || [ ! -x "$(EXPORT_BIN)" ]; then \
		if [ -n "$$SUDO_USER" ] && [ "$$(id -u)" -eq 0 ]; then \
			echo "make install: the release build is missing: run 'make build' as yourself first, then 'sudo make install'" >&2; \
			exit 1; \
		fi; \
		$(MAKE) --no-print-directory build; \
	fi
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)" "$(DESTDIR)$(BASHDIR)" "$(DESTDIR)$(ZSHDIR)" "$(DESTDIR)$(FISHDIR)"
	$(INSTALL) -m 755 -s "$(BIN)" "$(DESTDIR)$(BINDIR)/tlm"
	$(INSTALL) -m 755 -s "$(EXPORT_BIN)" "$(DESTDIR)$(BINDIR)/tlm-export"
	$(INSTALL) -m 644 man/tlm.1 "$(DESTDIR)$(MANDIR)/tlm.1"
	$(INSTALL) -m 644 man/tlm-export.1 "$(DESTDIR)$(MANDIR)/tlm-export.1"
	$(INSTALL) -m 644 completions/tlm.bash "$(DESTDIR)$(BASHDIR)/tlm"
	$(INSTALL) -m 644 completions/_tlm "$(DESTDIR)$(ZSHDIR)/_tlm"
	$(INSTALL) -m 644 completions/tlm.fish "$(DESTDIR)$(FISHDIR)/tlm.fish"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/tlm" \
		"$(DESTDIR)$(BINDIR)/tlm-export" \
		"$(DESTDIR)$(MANDIR)/tlm.1" \
		"$(DESTDIR)$(MANDIR)/tlm-export.1" \
		"$(DESTDIR)$(BASHDIR)/tlm" \
		"$(DESTDIR)$(ZSHDIR)/_tlm" \
		"$(DESTDIR)$(FISHDIR)/tlm.fish"

clean:
	$(SWIFT) package clean
	rm -rf $(EXPORT_BUILD) $(EXAMPLE)/.build $(DIST)
