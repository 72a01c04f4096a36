module github.com/bulwark-tm/bulwark

go 1.26
