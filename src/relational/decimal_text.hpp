#pragma once
// Money and other decimal quantities as text, never through a binary float: WooCommerce writes
// them with wc_format_decimal (a dot, no thousands separator), and the relational output keeps
// that text exactly, as a string or as the JSON number token.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_tape.hpp"

namespace wc::relational {

// True for "-?digits(.digits)?": the text a JSON number token and a decimal column both accept.
bool is_decimal_text(std::string_view text);

// The decimal text of a raw value: a string in decimal form as is, an integer as its digits, a
// JSON float as its shortest round-trip text when that is in decimal form.
// `empty` is set (and nullopt returned) for null and "" (an absent number, no warning);
// otherwise nullopt means "not a decimal" (the caller warns).
std::optional<std::string> decimal_text_of(const boost::json::value &v, bool &empty);

// The same for a value read in place (json_tape.hpp), without a copy: a string's text (unescaped
// into `scratch` when it holds escapes), a number's token as written (12.50 stays 12.50).
std::optional<std::string_view> decimal_text_of(const TapeValue &v, bool &empty,
                                                std::string &scratch);

// Exact sums and differences of decimal texts (fixed point, at most 8 decimals, 64 bits).
class Decimal {
public:
  static std::optional<Decimal> parse(std::string_view text);
  static Decimal zero() { return Decimal(); }
  // Zero written with the same number of decimals as `like` ("0.00" beside "12.50").
  static Decimal zero_like(const Decimal &like) {
    Decimal d;
    d.scale_ = like.scale_;
    return d;
  }
  std::optional<Decimal> plus(const Decimal &other) const;
  std::optional<Decimal> minus(const Decimal &other) const;
  Decimal negated() const;
  // Decimal text with this value's scale (the widest scale of its inputs): "12.50", "-3.10".
  std::string text() const;

private:
  std::int64_t units_ = 0; // value * 10^scale_
  int scale_ = 0;
  bool rescale(int scale);
};

} // namespace wc::relational
