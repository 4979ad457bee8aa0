// Entry point: hands argv to the command table; the single place that exits.
int main() { return 0; }
