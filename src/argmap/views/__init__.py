"""What people look at: the terminal tree, DOT, the Graphviz layout step, the HTML page, check reporters."""
