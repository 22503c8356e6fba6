"""Files that enter or leave the app: lists uploaded for import, the templates to fill them in, and the
workbooks a page exports. Each module reads or writes one kind of file and nothing else; the rules for what
its rows mean stay in the services (data_layer/services/)."""
