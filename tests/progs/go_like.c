/* Looks like a Go binary to scry (it has a .go.buildinfo section), so the e2e suite can
 * check that uretprobes on Go programs are refused without needing a Go toolchain. */
__attribute__((used, section(".go.buildinfo"))) static const char buildinfo[32] = "\xff Go buildinf:";

__attribute__((noinline)) int go_like_fn(int x) { return x + 1; }

int main(void) { return go_like_fn(-1); }
