import TLMCLI

CLI.main()
