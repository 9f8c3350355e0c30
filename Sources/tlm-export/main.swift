// tlm-export: the network half of tlm. `tlm export otlp` and `tlm export
// prometheus --push` run it (it is installed beside tlm); it is the same
// command line with an HTTP client and gzip (`NetworkHalf`), kept out of `tlm` so that `tlm run` never
// loads libcurl and Foundation (about 9 ms more at every start).
import TLMCLI

CLI.main(network: NetworkHalf(transport: URLSessionTransport(), compressor: ZlibCompressor()))
