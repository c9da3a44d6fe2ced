// skiff: the single executable; main only wires the components.
int main() { return 0; }
