#include "relational/decimal_text.hpp"

#include <boost/json/serialize.hpp>
#include <cstdint>

namespace wc::relational {

bool is_decimal_text(std::string_view t) {
  std::size_t i = 0;
  if (i < t.size() && t[i] == '-') {
    ++i;
  }
  const std::size_t int_start = i;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
    ++i;
  }
  if (i == int_start) {
    return false;
  }
  if (i == t.size()) {
    return true;
  }
  if (t[i] != '.') {
    return false;
  }
  const std::size_t frac_start = ++i;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
    ++i;
  }
  return i == t.size() && i > frac_start;
}

std::optional<std::string> decimal_text_of(const boost::json::value &v, bool &empty) {
  empty = false;
  if (v.is_null() || (v.is_string() && v.get_string().empty())) {
    empty = true;
    return std::nullopt;
  }
  std::string text;
  if (v.is_string()) {
    text = std::string(v.get_string());
  } else if (v.is_int64() || v.is_uint64() || v.is_double()) {
    text = boost::json::serialize(v);
  } else {
    return std::nullopt;
  }
  if (!is_decimal_text(text)) {
    return std::nullopt;
  }
  return text;
}

std::optional<std::string_view> decimal_text_of(const TapeValue &v, bool &empty,
                                                std::string &scratch) {
  empty = false;
  if (v.is_null() || (v.is_string() && v.raw().empty())) {
    empty = true;
    return std::nullopt;
  }
  std::string_view text;
  if (v.is_string()) {
    text = v.string(scratch);
  } else if (v.is_number()) {
    text = v.raw();
  } else {
    return std::nullopt;
  }
  if (!is_decimal_text(text)) {
    return std::nullopt;
  }
  return text;
}

std::optional<Decimal> Decimal::parse(std::string_view t) {
  if (!is_decimal_text(t)) {
    return std::nullopt;
  }
  Decimal d;
  bool negative = false;
  std::size_t i = 0;
  if (t[0] == '-') {
    negative = true;
    i = 1;
  }
  bool in_fraction = false;
  for (; i < t.size(); ++i) {
    if (t[i] == '.') {
      in_fraction = true;
      continue;
    }
    if (in_fraction && ++d.scale_ > 8) {
      return std::nullopt;
    }
    if (__builtin_mul_overflow(d.units_, std::int64_t{10}, &d.units_) ||
        __builtin_add_overflow(d.units_, std::int64_t{t[i] - '0'}, &d.units_)) {
      return std::nullopt;
    }
  }
  if (negative) {
    d.units_ = -d.units_;
  }
  return d;
}

bool Decimal::rescale(int scale) {
  while (scale_ < scale) {
    if (__builtin_mul_overflow(units_, std::int64_t{10}, &units_)) {
      return false;
    }
    ++scale_;
  }
  return true;
}

std::optional<Decimal> Decimal::plus(const Decimal &other) const {
  Decimal a = *this;
  Decimal b = other;
  const int scale = std::max(a.scale_, b.scale_);
  if (!a.rescale(scale) || !b.rescale(scale) ||
      __builtin_add_overflow(a.units_, b.units_, &a.units_)) {
    return std::nullopt;
  }
  return a;
}

std::optional<Decimal> Decimal::minus(const Decimal &other) const { return plus(other.negated()); }

Decimal Decimal::negated() const {
  Decimal d = *this;
  d.units_ = -d.units_;
  return d;
}

std::string Decimal::text() const {
  const bool negative = units_ < 0;
  // Magnitude as unsigned, so the most negative value does not overflow.
  std::uint64_t mag =
      negative ? 0 - static_cast<std::uint64_t>(units_) : static_cast<std::uint64_t>(units_);
  std::string digits = std::to_string(mag);
  const auto scale = static_cast<std::size_t>(scale_);
  if (scale > 0 && digits.size() <= scale) {
    digits = std::string(scale + 1 - digits.size(), '0') + digits;
  }
  const std::size_t int_digits = digits.size() - scale;
  std::string out = negative ? "-" : "";
  out.append(digits, 0, int_digits);
  if (scale > 0) {
    out.push_back('.');
    out.append(digits, int_digits, scale);
  }
  return out;
}

} // namespace wc::relational
