module github.com/iiskit/iiskit

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/emersion/go-smtp v0.25.1
	github.com/fclairamb/ftpserverlib v0.32.3
	github.com/go-ole/go-ole v1.3.0
	github.com/spf13/afero v1.15.0
	golang.org/x/sys v0.50.0
)

require (
	github.com/emersion/go-sasl v0.0.0-20241020182733-b788ff22d5a6 // indirect
	golang.org/x/text v0.28.0 // indirect
)
