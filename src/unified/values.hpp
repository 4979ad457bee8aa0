#pragma once
// Field values of the unified model taken from WooCommerce's: ids as text, *_gmt times as
// RFC 3339 UTC with Z, money as exact decimal strings (relational/decimal_text.hpp), absent
// values ("" and null) as null.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "relational/decimal_text.hpp"
#include "unified/context.hpp"

namespace wc::unified {

// An id as text: an integer's digits, a non-empty string as is; null for 0, "", null, absent.
boost::json::value id_text(const boost::json::object &o, std::string_view key);
// A UTC time: WooCommerce's naive "2025-02-08T16:05:39" (a *_gmt field) with Z appended; an
// RFC 3339 text with an offset as is; null when absent or not a time.
boost::json::value utc_time(const boost::json::object &o, std::string_view key);
// Text: a non-empty string as is; null for "", null, absent, or another type.
boost::json::value text(const boost::json::object &o, std::string_view key);
// The exact decimal of a value (string, integer or float token); nullopt for absent ("" or
// null; `absent` set) or not a decimal.
std::optional<relational::Decimal> decimal_of(const boost::json::value *v, bool &absent);
// A money field as decimal text or null; text that is not a decimal is null and warned about
// (ctx.warn, once per field per sync by the caller's policy).
boost::json::value money(const boost::json::object &o, std::string_view key, const Context &ctx,
                         const std::string &field);
boost::json::value money_text(const std::optional<relational::Decimal> &d);
// An integer (or digits in a string) or null.
boost::json::value integer(const boost::json::object &o, std::string_view key);
// A boolean or null.
boost::json::value boolean(const boost::json::object &o, std::string_view key);
// The record's tombstone time, when it is one: _ab_cdc_deleted_at set.
std::optional<std::string> deleted_at(const boost::json::object &o);

} // namespace wc::unified

namespace wc::unified {

// The start of every unified record: platform and store_id.
boost::json::object keyed(const Context &ctx);
// A tombstone: platform, store_id, `key` = `id`, updated_at (or `cursor`), the platform's status
// verbatim and _ab_cdc_deleted_at (the record's own, else its cursor time).
boost::json::object tombstone(const Context &ctx, const boost::json::object &woo, const char *key,
                              const char *cursor = "updated_at",
                              const char *woo_cursor = "date_modified_gmt");
// `text` / `quantity` exactly, at the text's scale; nullopt when it does not divide exactly.
std::optional<std::string> divide_exact(const std::string &text, std::int64_t quantity);

} // namespace wc::unified
