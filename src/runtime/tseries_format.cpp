// tseries text graphs and JSON arrays, as bpftrace 0.26 prints them (see tseries.h).
#include <time.h>

#include <cstdio>

#include "runtime/tseries.h"

namespace scry::runtime {

namespace {

constexpr int kGraphWidth = 53;   // the graph's columns, borders included
constexpr int kMinColumn = 21;    // the header's minimum is left-aligned in this many
constexpr int64_t kSecond = 1000000000;

// The time column's precision, from the intervals' spacing: digits after the second.
struct Precision {
  const char *name; // shown in the header, after "hh:mm:ss."
  int digits;
  int64_t scale; // ns per unit
};

Precision precisionOf(uint64_t spacing_ns) {
  if (spacing_ns >= 1000000000)
    return {"s", 0, kSecond};
  if (spacing_ns >= 1000000)
    return {"ms", 3, 1000000};
  if (spacing_ns >= 1000)
    return {"\xce\xbcs", 6, 1000}; // "μs", two bytes, counted as two by the padding
  return {"ns", 9, 1};
}

std::string padRight(std::string text, size_t width) {
  if (text.size() < width)
    text.append(width - text.size(), ' ');
  return text;
}

std::string padLeft(std::string text, size_t width) {
  if (text.size() < width)
    text.insert(0, width - text.size(), ' ');
  return text;
}

// A value as bpftrace's text output shows it; an interval without one is "null".
std::string valueText(const Value &value) {
  return value.kind == object::ValueKind::None ? "null" : formatValue(value);
}

// a - b, as bpftrace measures distances on the graph (unsigned values included).
int64_t distance(const Value &a, const Value &b) {
  if (a.kind == object::ValueKind::None || b.kind == object::ValueKind::None)
    return 0;
  if (a.is_signed)
    return static_cast<int64_t>(a.bits - b.bits);
  auto other = static_cast<int64_t>(b.bits);
  if (other < 0)
    return static_cast<int64_t>(static_cast<uint64_t>(-other) + a.bits);
  if (a.bits > static_cast<uint64_t>(other))
    return static_cast<int64_t>(a.bits - static_cast<uint64_t>(other));
  return -static_cast<int64_t>(static_cast<uint64_t>(other) - a.bits);
}

Value zeroLike(const Value &v) { return v.is_signed ? Value::makeInt(0) : Value::makeUint(0); }

// Widens equal bounds by one on each side, within the type's range.
void widen(Value &min, Value &max) {
  if (min.kind == object::ValueKind::None)
    return;
  if (min.is_signed ? min.asSigned() > INT64_MIN : min.bits > 0)
    --min.bits;
  if (max.is_signed ? max.asSigned() < INT64_MAX : max.bits < UINT64_MAX)
    ++max.bits;
}

// Wall-clock ns of an interval's start.
int64_t startNs(const object::ValueType &type, uint64_t epoch, int64_t tai_offset_ns) {
  return static_cast<int64_t>(epoch * type.tseries.interval_ns) - tai_offset_ns;
}

std::string timeOfDay(int64_t ns, const Precision &precision) {
  time_t seconds = static_cast<time_t>(ns / kSecond);
  int64_t fraction = ns % kSecond;
  if (fraction < 0) {
    fraction += kSecond;
    --seconds;
  }
  tm local{};
  localtime_r(&seconds, &local);
  char text[64];
  strftime(text, sizeof text, "%H:%M:%S", &local);
  std::string out = text;
  if (precision.digits > 0) {
    char digits[16];
    std::snprintf(digits, sizeof digits, ".%0*lld", precision.digits,
                  static_cast<long long>(fraction / precision.scale));
    out += digits;
  }
  return out;
}

// The header and footer line: the minimum and maximum over the graph's columns.
std::string boundsLine(size_t indent, const Value &min, const Value &max) {
  return std::string(indent, ' ') + padRight(valueText(min), kMinColumn) +
         padLeft(valueText(max), kGraphWidth - kMinColumn) + "\n";
}

} // namespace

std::string drawTseries(const object::ValueType &type, const Value &series,
                        int64_t tai_offset_ns) {
  if (series.buckets.empty())
    return "<no data>";
  Value min = series.fields.front(), max = series.fields.front();
  for (const Value &v : series.fields) {
    if (v.kind == object::ValueKind::None)
      continue;
    if (compareValues(v, min) < 0)
      min = v;
    if (compareValues(v, max) > 0)
      max = v;
  }
  if (compareValues(min, max) == 0)
    widen(min, max);
  uint64_t rows = series.buckets.size();
  uint64_t spacing = (series.buckets.back() - series.buckets.front()) * type.tseries.interval_ns /
                     (rows > 1 ? rows - 1 : 1);
  Precision precision = precisionOf(spacing);
  std::string time_header = "hh:mm:ss";
  size_t time_width = time_header.size();
  if (precision.digits > 0) {
    time_header += std::string(".") + precision.name;
    time_width += 1 + static_cast<size_t>(precision.digits);
  }
  std::string out = boundsLine(time_width + 1, min, max);
  out += padRight(time_header, time_width + 1) + "|" + std::string(kGraphWidth - 2, '_') + "|\n";
  int zero_column = 0;
  Value zero = zeroLike(min);
  if (distance(min, zero) < 0 && distance(zero, max) < 0)
    zero_column = static_cast<int>(static_cast<float>(kGraphWidth) *
                                   static_cast<float>(distance(min, zero)) /
                                   static_cast<float>(distance(min, max)));
  for (size_t i = 0; i < rows; ++i) {
    const Value &v = series.fields[i];
    std::string line(kGraphWidth, ' ');
    line.front() = '|';
    line.back() = '|';
    if (zero_column > 0)
      line[static_cast<size_t>(zero_column)] = '.';
    out += timeOfDay(startNs(type, series.buckets[i], tai_offset_ns), precision) + " ";
    if (v.kind == object::ValueKind::None) {
      out += line + " -\n";
      continue;
    }
    int column = kGraphWidth / 2;
    if (compareValues(min, max) != 0)
      column = static_cast<int>(static_cast<float>(kGraphWidth - 1) *
                                static_cast<float>(distance(min, v)) /
                                static_cast<float>(distance(min, max)));
    line[static_cast<size_t>(std::max(0, std::min(kGraphWidth - 1, column)))] = '*';
    out += line + " " + valueText(v) + "\n";
  }
  std::string bottom(kGraphWidth, '_');
  bottom.front() = 'v';
  bottom.back() = 'v';
  out += std::string(time_width, ' ') + " " + bottom + "\n";
  out += boundsLine(time_width + 1, min, max);
  return out;
}

std::string jsonTseries(const object::ValueType &type, const Value &series,
                        int64_t tai_offset_ns) {
  std::string out = "[";
  bool first = true;
  for (size_t i = 0; i < series.buckets.size(); ++i) {
    if (series.fields[i].kind == object::ValueKind::None)
      continue;
    int64_t ns = startNs(type, series.buckets[i], tai_offset_ns);
    time_t seconds = static_cast<time_t>(ns / kSecond);
    tm utc{};
    gmtime_r(&seconds, &utc);
    char text[80];
    size_t n = strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
    std::snprintf(text + n, sizeof text - n, ".%09lld", static_cast<long long>(ns % kSecond));
    out += std::string(first ? "" : ",") + "{\"interval_start\":\"" + text +
           "\",\"value\":" + formatValue(series.fields[i]) + "}";
    first = false;
  }
  return out + "]";
}

} // namespace scry::runtime
