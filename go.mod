module github.com/ermi-go/ermi

go 1.27.0
