// A C++ uprobe target for tests/e2e/probes_more.test: overloaded methods in a namespace,
// so uprobes can name them by their demangled names (uprobe:BIN:cpp:"scry_ns::Widget::scale")
// and tell the overloads apart by parameter list. Calls each N times (argv[1], default 1).
#include <cstdlib>

namespace scry_ns {

class Widget {
public:
  __attribute__((noinline)) int scale(int x) {
    __asm__ volatile("");
    return x * factor_;
  }
  __attribute__((noinline)) long scale(long x) {
    __asm__ volatile("");
    return x * factor_ + 1;
  }

private:
  int factor_ = 3;
};

__attribute__((noinline)) int helper(const char *s) {
  __asm__ volatile("");
  return s[0];
}

} // namespace scry_ns

int main(int argc, char **argv) {
  int loops = argc > 1 ? std::atoi(argv[1]) : 1;
  scry_ns::Widget w;
  long sum = 0;
  for (int i = 0; i < loops; ++i)
    sum += w.scale(7) + w.scale(7L) + scry_ns::helper("cpp");
  return sum == 0;
}
