// Folded stacks for flame graphs. See folded_output.h.
#include "runtime/folded_output.h"

#include <algorithm>

#include "runtime/stack_format.h"

namespace scry::runtime {

using object::ValueKind;

namespace {

bool isStack(ValueKind kind) { return kind == ValueKind::KStack || kind == ValueKind::UStack; }

bool hasStack(const object::ValueType &key) {
  if (isStack(key.kind))
    return true;
  return key.kind == ValueKind::Tuple &&
         std::any_of(key.fields.begin(), key.fields.end(),
                     [](const object::ValueType &f) { return isStack(f.kind); });
}

bool isOneInteger(ValueKind kind) {
  return kind == ValueKind::Count || kind == ValueKind::Int || kind == ValueKind::Sum ||
         kind == ValueKind::Min || kind == ValueKind::Max || kind == ValueKind::Avg;
}

// Appends frames (already joined by ';') to `line`.
void append(std::string &line, const std::string &frames) {
  if (frames.empty())
    return;
  if (!line.empty())
    line += ";";
  line += frames;
}

std::string foldedKey(const Value &key) {
  std::vector<const Value *> parts;
  if (key.kind == ValueKind::Tuple)
    for (const Value &f : key.fields)
      parts.push_back(&f);
  else
    parts.push_back(&key);
  std::string line, user, kernel;
  Symbolizer &symbolizer = processSymbolizer();
  for (const Value *part : parts) {
    if (part->kind == ValueKind::UStack)
      append(user, foldedStack(*part, symbolizer));
    else if (part->kind == ValueKind::KStack)
      append(kernel, foldedStack(*part, symbolizer));
    else {
      std::string text = formatValue(*part);
      std::replace(text.begin(), text.end(), ';', '_'); // ';' separates frames
      append(line, text);
    }
  }
  append(line, user);
  append(line, kernel);
  return line.empty() ? "[unknown]" : line;
}

} // namespace

bool isFoldable(const object::MapDesc &desc) {
  return hasStack(desc.key) && isOneInteger(desc.value.kind);
}

std::string foldedMap(const std::vector<MapEntry> &entries) {
  std::string text;
  for (const MapEntry &entry : entries)
    text += foldedKey(entry.key) + " " + formatValue(entry.value) + "\n";
  return text;
}

} // namespace scry::runtime
