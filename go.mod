module github.com/ermi-go/ermi

go 1.27.0

require gonum.org/v1/gonum v0.17.0
