module github.com/iiskit/iiskit

go 1.26.8
