// User-space ELF reading (symbols, file offsets) on the test binary itself, and library
// lookup in a small ld.so.cache written at test time in glibc's new format.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "btf/elf_file.h"
#include "test_btf.h"

namespace scry::btf {
namespace {

TEST(ElfFile, ReadsOwnSymbols) {
  ElfInfo elf;
  std::string error;
  ASSERT_TRUE(readElf("/proc/self/exe", elf, error)) << error;
  const ElfSymbol *main_sym = elf.find("main");
  ASSERT_NE(main_sym, nullptr);
  uint64_t offset = 0;
  EXPECT_TRUE(elf.fileOffset(main_sym->addr, offset));
  EXPECT_FALSE(elf.is_go);
  EXPECT_EQ(elf.find("no_such_function_xyz"), nullptr);
}

TEST(ElfFile, RejectsNonElf) {
  ElfInfo elf;
  std::string error;
  EXPECT_FALSE(readElf("/etc/hostname", elf, error));
  EXPECT_FALSE(readElf("/no/such/file", elf, error));
}

// header: magic[20] nlibs len_strings flags pad[3] ext unused[3] (48 bytes), then
// entries {flags, key, value, osversion, hwcap} of 24 bytes, then the strings.
std::string writeCache(const std::string &dir) {
  struct Entry {
    int32_t flags;
    const char *soname, *path;
  };
  Entry entries[] = {{0x0003, "libfoo.so.1", "/lib32/libfoo.so.1"},
                     {0x0303, "libfoo.so.1", "/lib/x86_64-linux-gnu/libfoo.so.1"},
                     {0x0303, "libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6"}};
  uint32_t n = 3;
  std::string strings;
  size_t strings_at = 48 + 24 * n;
  std::string data(strings_at, '\0');
  std::memcpy(data.data(), "glibc-ld.so.cache1.1", 20);
  std::memcpy(data.data() + 20, &n, 4);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t key = static_cast<uint32_t>(strings_at + strings.size());
    strings += std::string(entries[i].soname) + '\0';
    uint32_t value = static_cast<uint32_t>(strings_at + strings.size());
    strings += std::string(entries[i].path) + '\0';
    char *e = data.data() + 48 + 24 * i;
    std::memcpy(e, &entries[i].flags, 4);
    std::memcpy(e + 4, &key, 4);
    std::memcpy(e + 8, &value, 4);
  }
  std::string path = dir + "/ld.so.cache";
  std::ofstream(path, std::ios::binary) << data << strings;
  return path;
}

TEST(ElfFile, LdCacheLookup) {
  std::string cache = writeCache(fixture::makeTempDir());
  EXPECT_EQ(findInLdCache("libc", cache), "/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(findInLdCache("c", cache), "/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(findInLdCache("libc.so.6", cache), "/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(findInLdCache("libfoo", cache), "/lib/x86_64-linux-gnu/libfoo.so.1");
  EXPECT_EQ(findInLdCache("libbar", cache), "");
  EXPECT_EQ(findInLdCache("libc", "/no/such/cache"), "");
}

} // namespace
} // namespace scry::btf
