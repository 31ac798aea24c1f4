// Formatters of the time, process and system functions: strftime with bpftrace's %f,
// %k and %l, user names from passwd text, cgroup paths, system()'s quoting, and the
// time/cat/system/join/errorf records in text and JSON.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/events.h"
#include "runtime/map_print.h"
#include "runtime/resolve.h"
#include "runtime/sys_events.h"

using namespace scry::runtime;
using namespace scry::object;

namespace {

std::vector<uint8_t> record(EventKind kind, uint32_t id, size_t total) {
  std::vector<uint8_t> rec(total, 0);
  EventHeader h{static_cast<uint32_t>(kind), id};
  std::memcpy(rec.data(), &h, sizeof(h));
  return rec;
}

ValueType type(ValueKind kind, uint32_t size) {
  ValueType t;
  t.kind = kind;
  t.size = size;
  return t;
}

// A temporary directory, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/scry-sys-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

uint64_t inode(const std::filesystem::path &p) {
  struct stat st = {};
  stat(p.c_str(), &st);
  return st.st_ino;
}

} // namespace

TEST(Strftime, ExtensionsAndPlainConversions) {
  timespec epoch = {};
  EXPECT_EQ(formatTimestamp("%Y-%m-%d %H:%M:%S", 86400ULL * 1000000000ULL + 3723000000000ULL,
                            epoch, true),
            "1970-01-02 01:02:03");
  // 1.000123456 s: %f microseconds, %k nanoseconds, %l milliseconds, zero-padded.
  EXPECT_EQ(formatTimestamp("%S.%f|%k|%l", 1000123456, epoch, true), "01.000123|000123456|000");
  EXPECT_EQ(formatTimestamp("%l", 7890000000, epoch, true), "890");
  // %% stays a literal percent sign, even before f.
  EXPECT_EQ(formatTimestamp("%%f %%", 5000, epoch, true), "%f %");
  // bpftrace's runtime test: 1000123000 ns and 0 ns are 123 us apart in %f.
  EXPECT_EQ(formatTimestamp("1%f", 1000123000, epoch, true), "1000123");
  EXPECT_EQ(formatTimestamp("1%f", 1000000123000, epoch, true), "1000123");
}

TEST(Strftime, AddsTheBootTimeAndCarriesNanoseconds) {
  timespec boot = {1700000000, 999999999}; // 2023-11-14 22:13:20.999999999 UTC
  EXPECT_EQ(formatTimestamp("%F %T.%k", 0, boot, true), "2023-11-14 22:13:20.999999999");
  EXPECT_EQ(formatTimestamp("%F %T.%k", 2, boot, true), "2023-11-14 22:13:21.000000001");
}

TEST(Strftime, EmptyResultIsAQuestionMark) {
  EXPECT_EQ(formatTimestamp("", 0, timespec{}, true), "(?)");
}

TEST(Strftime, BootTimeIsInThePast) {
  timespec boot = bootTime();
  timespec now = {};
  clock_gettime(CLOCK_REALTIME, &now);
  EXPECT_GT(boot.tv_sec, 0);
  EXPECT_LE(boot.tv_sec, now.tv_sec);
  EXPECT_GE(boot.tv_nsec, 0);
  EXPECT_LT(boot.tv_nsec, 1000000000);
}

TEST(Username, FromPasswdText) {
  const char *passwd = "root:x:0:0:root:/root:/bin/bash\n"
                       "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
                       "broken line\n"
                       "alice:x:1000:1000:Alice:/home/alice:/bin/sh";
  EXPECT_EQ(userName(passwd, 0), "root");
  EXPECT_EQ(userName(passwd, 1000), "alice");
  EXPECT_EQ(userName(passwd, 1), "daemon");
  EXPECT_EQ(userName(passwd, 4242), "");
  EXPECT_EQ(usernameText(0), "root");
  EXPECT_EQ(usernameText(4294967294ULL - 12345), std::to_string(4294967294ULL - 12345));
}

TEST(Username, ValuePrintsTheNameAndSortsByUid) {
  ValueType t = type(ValueKind::Username, 8);
  uint64_t uid = 0;
  auto root = decodeValue(t, {reinterpret_cast<const uint8_t *>(&uid), 8});
  ASSERT_TRUE(root);
  EXPECT_EQ(formatValue(*root), "root");
  EXPECT_EQ(jsonValue(t, *root), "\"root\"");
  Value other = *root;
  other.bits = 5;
  EXPECT_LT(compareValues(*root, other), 0);
}

TEST(Timestamp, ValueCarriesItsFormat) {
  ValueType t = type(ValueKind::Timestamp, 8);
  t.text = "%Y";
  t.boot_clock = false; // since the epoch
  uint64_t ns = 0;
  auto v = decodeValue(t, {reinterpret_cast<const uint8_t *>(&ns), 8});
  ASSERT_TRUE(v);
  std::string year = formatValue(*v);
  EXPECT_TRUE(year == "1970" || year == "1969") << year; // local time
  EXPECT_EQ(jsonValue(t, *v), "\"" + year + "\"");
}

TEST(CgroupPath, RootsFromMounts) {
  auto roots = cgroupRoots("proc /proc proc rw 0 0\n"
                           "cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n"
                           "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n"
                           "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw 0 0\n");
  ASSERT_EQ(roots.size(), 3u);
  EXPECT_EQ(roots[0].name, "unified");
  EXPECT_EQ(roots[0].path, "/sys/fs/cgroup");
  EXPECT_EQ(roots[1].name, "cpu,cpuacct");
  EXPECT_EQ(roots[2].name, "memory");
}

TEST(CgroupPath, FoundByInodeUnderEachMatchingRoot) {
  TempDir v2, v1;
  std::filesystem::create_directories(v2.path / "system.slice" / "x.service");
  std::filesystem::create_directories(v1.path / "other");
  std::vector<CgroupRoot> roots = {{"unified", v2.path.string()}, {"memory", v1.path.string()}};
  uint64_t id = inode(v2.path / "system.slice" / "x.service");
  EXPECT_EQ(cgroupPaths(id, "*", roots), "unified:/system.slice/x.service");
  EXPECT_EQ(cgroupPaths(id, "unified", roots), "unified:/system.slice/x.service");
  EXPECT_EQ(cgroupPaths(id, "mem*", roots), "");
  EXPECT_EQ(cgroupPaths(inode(v2.path), "*", roots), "unified:/");
  EXPECT_EQ(cgroupPaths(inode(v1.path / "other"), "*", roots), "memory:/other");
  EXPECT_EQ(cgroupPaths(1, "*", roots), "");
}

TEST(System, ArgumentsAreQuotedForTheShell) {
  EXPECT_EQ(shellQuote("plain"), "'plain'");
  EXPECT_EQ(shellQuote("it's; rm -rf /"), "'it'\\''s; rm -rf /'");
  EXPECT_EQ(shellQuote(""), "''");
  std::vector<Value> args = {Value::makeString("a b; $(reboot)"), Value::makeInt(-5)};
  EXPECT_EQ(formatCommand("echo %s | wc -c; echo %d%%", args),
            "echo 'a b; $(reboot)' | wc -c; echo '-5'%");
  EXPECT_EQ(formatCommand("echo %-4s|", {Value::makeString("x")}), "echo 'x   '|");
}

TEST(System, RunsTheShellAndCapturesStdout) {
  std::string error;
  EXPECT_EQ(runCommand("echo hi; echo there >&1; echo err >/dev/null", error), "hi\nthere\n");
  EXPECT_EQ(error, "");
  EXPECT_EQ(runCommand("cat", error), ""); // stdin is /dev/null, not scry's
  EXPECT_EQ(runCommand(formatCommand("printf %s", {Value::makeString("'$HOME'")}), error), "'$HOME'");
}

TEST(SysRecords, TimeIsLocalTimeThroughItsFormat) {
  BpfObject object;
  object.time_formats = {"%Y|"};
  EventResult r = handleRecord(object, record(EventKind::Time, 0, 8));
  ASSERT_EQ(r.kind, EventResult::Kind::Sys) << r.error;
  std::ostringstream err;
  std::string text = runSysEvent(r.sys, OutputFormat::Text, err);
  EXPECT_EQ(text.size(), 5u);
  EXPECT_EQ(text.back(), '|');
  std::string json = runSysEvent(r.sys, OutputFormat::Json, err);
  EXPECT_EQ(json, "{\"type\": \"time\", \"data\": \"" + text + "\"}\n");
  EXPECT_EQ(handleRecord(object, record(EventKind::Time, 1, 8)).kind, EventResult::Kind::Malformed);
}

TEST(SysRecords, JoinTextAndJson) {
  BpfObject object;
  object.joins = {{",", 4, 8}};
  std::vector<uint8_t> rec = record(EventKind::Join, 0, 16 + 4 * 8);
  uint64_t count = 3;
  std::memcpy(rec.data() + 8, &count, 8);
  std::memcpy(rec.data() + 16, "/bin/ec", 7);
  std::memcpy(rec.data() + 24, "a", 1);
  std::memcpy(rec.data() + 32, "12345678", 8); // a full slot: no NUL
  EventResult r = handleRecord(object, rec);
  ASSERT_EQ(r.kind, EventResult::Kind::Sys) << r.error;
  std::ostringstream err;
  EXPECT_EQ(runSysEvent(r.sys, OutputFormat::Text, err), "/bin/ec,a,12345678\n");
  EXPECT_EQ(runSysEvent(r.sys, OutputFormat::Json, err),
            "{\"type\": \"join\", \"data\": \"/bin/ec,a,12345678\"}\n");
  count = 5; // more than the record holds
  std::memcpy(rec.data() + 8, &count, 8);
  EXPECT_EQ(handleRecord(object, rec).kind, EventResult::Kind::Malformed);
}

TEST(SysRecords, ErrorfAndWarnf) {
  BpfObject object;
  ErrorfDesc e;
  e.printf.format = "bad %d";
  e.printf.args = {type(ValueKind::Int, 8)};
  e.printf.offsets = {8};
  e.location = "stdin:1:9-25";
  e.filename = "stdin";
  e.line = 1;
  e.col = 9;
  ErrorfDesc w = e;
  w.is_error = false;
  object.errorfs = {e, w};
  std::vector<uint8_t> rec = record(EventKind::Errorf, 0, 16);
  int64_t n = 42;
  std::memcpy(rec.data() + 8, &n, 8);
  EventResult r = handleRecord(object, rec);
  ASSERT_EQ(r.kind, EventResult::Kind::Sys) << r.error;
  std::ostringstream err;
  EXPECT_EQ(runSysEvent(r.sys, OutputFormat::Text, err), "");
  EXPECT_EQ(err.str(), "stdin:1:9-25: ERROR: bad 42\n");
  EXPECT_EQ(runSysEvent(r.sys, OutputFormat::Json, err),
            "{\"type\": \"errorf\", \"msg\": \"bad 42\", \"filename\": \"stdin\", \"line\": 1, "
            "\"col\": 9}\n");
  rec[4] = 1; // the warnf
  r = handleRecord(object, rec);
  std::ostringstream warn;
  runSysEvent(r.sys, OutputFormat::Text, warn);
  EXPECT_EQ(warn.str(), "stdin:1:9-25: WARNING: bad 42\n");
  EXPECT_NE(runSysEvent(r.sys, OutputFormat::Json, warn).find("\"type\": \"warnf\""),
            std::string::npos);
}

TEST(SysRecords, CatPrintsTheStartOfTheFile) {
  TempDir dir;
  std::ofstream(dir.path / "f") << "0123456789";
  BpfObject object;
  PrintfDesc cat;
  cat.format = dir.path.string() + "/%s";
  cat.args = {type(ValueKind::String, 8)};
  cat.offsets = {8};
  object.cats = {cat};
  object.max_cat_bytes = 4;
  std::vector<uint8_t> rec = record(EventKind::Cat, 0, 16);
  std::memcpy(rec.data() + 8, "f", 1);
  EventResult r = handleRecord(object, rec);
  ASSERT_EQ(r.kind, EventResult::Kind::Sys) << r.error;
  std::ostringstream err;
  EXPECT_EQ(runSysEvent(r.sys, OutputFormat::Text, err), "0123");
  EXPECT_EQ(runSysEvent(r.sys, OutputFormat::Json, err), "{\"type\": \"cat\", \"data\": \"0123\"}\n");
  EXPECT_EQ(err.str(), "");
  std::memcpy(rec.data() + 8, "g", 1);
  r = handleRecord(object, rec);
  EXPECT_EQ(runSysEvent(r.sys, OutputFormat::Text, err), "");
  EXPECT_EQ(err.str(), "ERROR: failed to open file '" + dir.path.string() +
                           "/g': No such file or directory\n");
}

TEST(SysRecords, SystemOutputAndJson) {
  BpfObject object;
  PrintfDesc system;
  system.format = "echo %d";
  system.args = {type(ValueKind::Int, 8)};
  system.offsets = {8};
  object.systems = {system};
  std::vector<uint8_t> rec = record(EventKind::System, 0, 16);
  int64_t n = 7;
  std::memcpy(rec.data() + 8, &n, 8);
  EventResult r = handleRecord(object, rec);
  ASSERT_EQ(r.kind, EventResult::Kind::Sys) << r.error;
  EXPECT_EQ(r.sys.text, "echo '7'");
  std::ostringstream err;
  EXPECT_EQ(runSysEvent(r.sys, OutputFormat::Text, err), "7\n\n"); // bpftrace 0.26 adds a newline
  EXPECT_EQ(runSysEvent(r.sys, OutputFormat::Json, err),
            "{\"type\": \"syscall\", \"data\": \"7\\n\"}\n");
}
