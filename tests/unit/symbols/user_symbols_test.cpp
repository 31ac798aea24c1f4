// /proc/PID/maps parsing and user-space symbolisation through captured mappings.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "symbols/user_symbols.h"

namespace scry {
namespace {

using symbols::ElfSymbols;
using symbols::Mapping;
using symbols::UserSymbols;

const char *kMaps =
    "55d0c6e00000-55d0c6e01000 r--p 00000000 fe:01 1234                       /usr/bin/prog\n"
    "55d0c6e01000-55d0c6e02000 r-xp 00001000 fe:01 1234                       /usr/bin/prog\n"
    "7f0000000000-7f0000100000 r-xp 00028000 fe:01 99   /usr/lib/lib with space.so\n"
    "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]\n"
    "7ffd000ff000-7ffd00100000 r-xp 00000000 00:00 0                          [vdso]\n"
    "5600000000-5600001000 rw-p 00000000 00:00 0\n"
    "not a mapping\n";

TEST(ProcMaps, Parses) {
  auto maps = symbols::parseProcMaps(kMaps);
  ASSERT_EQ(maps.size(), 6u);
  EXPECT_EQ(maps[1].start, 0x55d0c6e01000u);
  EXPECT_EQ(maps[1].end, 0x55d0c6e02000u);
  EXPECT_EQ(maps[1].offset, 0x1000u);
  EXPECT_EQ(maps[1].path, "/usr/bin/prog");
  EXPECT_EQ(maps[2].path, "/usr/lib/lib with space.so");
  EXPECT_EQ(maps[3].path, "[stack]");
  EXPECT_EQ(maps[5].path, "");
  // The device in the kernel's encoding (dw_ustack's table keys), inode, 'x'.
  EXPECT_EQ(maps[1].dev, 0xfeu << 20 | 1u);
  EXPECT_EQ(maps[1].inode, 1234u);
  EXPECT_TRUE(maps[1].executable);
  EXPECT_FALSE(maps[0].executable);
  EXPECT_EQ(maps[3].dev, 0u);
  EXPECT_EQ(symbols::findMapping(maps, 0x7f0000000010), &maps[2]);
  EXPECT_EQ(symbols::findMapping(maps, 0x10), nullptr);
}

UserSymbols fixture() {
  UserSymbols user;
  user.setMaps(100, symbols::parseProcMaps(kMaps));
  // A PIE: text at vaddr 0x1000, file offset 0x1000.
  user.setElf("/usr/bin/prog", ElfSymbols({{"main", 0x1100, 0x80, true},
                                           {"_ZN4scry6widget4pokeEi", 0x1200, 0x40, true}},
                                          {{0x0, 0x0, 0x2000, 0x2000}}, true));
  // A library whose text segment's vaddr differs from its file offset.
  user.setElf("/usr/lib/lib with space.so",
              ElfSymbols({{"lib_fn", 0x29010, 0x20, true}}, {{0x29000, 0x28000, 0x1000, 0x1000}},
                         true));
  return user;
}

TEST(UserSymbols, ResolvesThroughMappingsAndSegments) {
  UserSymbols user = fixture();
  auto hit = user.resolve(100, 0x55d0c6e01108);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->name, "main");
  EXPECT_EQ(hit->offset, 8u);
  EXPECT_EQ(hit->module, "/usr/bin/prog");
  hit = user.resolve(100, 0x7f0000000014); // file offset 0x28014 -> vaddr 0x29014
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->name, "lib_fn");
  EXPECT_EQ(hit->offset, 4u);
}

TEST(UserSymbols, DemanglesCppNames) {
  UserSymbols user = fixture();
  auto hit = user.resolve(100, 0x55d0c6e01210);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->name, "scry::widget::poke(int)");
}

TEST(UserSymbols, UnknownAddresses) {
  UserSymbols user = fixture();
  EXPECT_FALSE(user.resolve(100, 0x55d0c6e01180));  // in the file, between symbols
  EXPECT_FALSE(user.resolve(100, 0x7ffd00000010));  // [stack]
  EXPECT_FALSE(user.resolve(100, 0x7ffd000ff010));  // [vdso]
  EXPECT_FALSE(user.resolve(100, 0x5600000010));    // anonymous
  EXPECT_FALSE(user.resolve(100, 0x1));             // unmapped
  EXPECT_FALSE(user.resolve(-1, 0x55d0c6e01108));   // no such process
}

TEST(UserSymbols, FallbackPlacesSegmentsByTheLoadBias) {
  // The process is gone; a uprobe learnt that file offset 0 of its text is at
  // 0x7000000000. Text: vaddr 0x1000 at offset 0x1000; data: vaddr 0x4010 at 0x3010.
  UserSymbols user;
  user.setElf("/bin/gone", ElfSymbols({{"fn", 0x1100, 0x20, true}, {"counter", 0x4020, 8, false}},
                                      {{0x1000, 0x1000, 0x1000, 0x1000, true},
                                       {0x4010, 0x3010, 0x100, 0x200, false}},
                                      true));
  user.setFallback(-5, "/bin/gone", 0x7000000000); // no pid: ignored
  EXPECT_FALSE(user.captured(-5));
  user.setFallback(42, "/bin/gone", 0x7000000000);
  auto hit = user.resolve(42, 0x7000001104);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->name, "fn");
  EXPECT_EQ(hit->offset, 4u);
  hit = user.resolve(42, 0x7000004020);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->name, "counter");
}

// `uprobe:progs/prog:fn` names its binary relative to the working directory; the
// fallback's mappings must hold the absolute path that resolve() accepts.
TEST(UserSymbols, FallbackOfARelativePath) {
  UserSymbols user;
  std::string absolute = (std::filesystem::current_path() / "progs/gone").string();
  user.setElf(absolute, ElfSymbols({{"fn", 0x1100, 0x20, true}},
                                   {{0x1000, 0x1000, 0x1000, 0x1000, true}}, true));
  user.setFallback(43, "progs/./gone", 0x7000000000);
  auto hit = user.resolve(43, 0x7000001104);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->name, "fn");
  EXPECT_EQ(hit->module, absolute);
}

TEST(UserSymbols, CapturesOnlyOnce) {
  UserSymbols user = fixture();
  EXPECT_TRUE(user.captured(100));
  EXPECT_TRUE(user.capture(100)); // already captured: kept as it was
  EXPECT_FALSE(user.capture(0));
  EXPECT_FALSE(user.captured(0));
  EXPECT_TRUE(user.capture(static_cast<int>(getpid()))); // this process is alive
  EXPECT_TRUE(user.captured(static_cast<int>(getpid())));
}

} // namespace
} // namespace scry
