// tlm-export: the network half of tlm. `tlm export otlp` and `tlm export
// prometheus --push` run it (it is installed beside tlm); it is the same
// command line with an HTTP client, kept out of `tlm` so that `tlm run` never
// loads libcurl and Foundation (about 9 ms more at every start).
import TLMCLI

CLI.main(transport: URLSessionTransport(), compressor: ZlibCompressor())
