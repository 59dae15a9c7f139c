#include "consilium/decision/clinical_time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace consilium::decision {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return false;
    for (std::size_t i = pos; i < pos + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

int number(std::string_view s, std::size_t pos, std::size_t n) {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
}

int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

std::string format_utc(std::int64_t epoch_seconds, std::string_view fraction) {
    std::time_t t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return std::string(buf) + std::string(fraction) + "Z";
}

}  // namespace

std::string utc_now() {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms % 1000));
    return format_utc(ms / 1000, frac);
}

bool is_fhir_date(std::string_view s) {
    if (!digits(s, 0, 4)) return false;
    if (s.size() == 4) return true;
    if (s.size() < 7 || s[4] != '-' || !digits(s, 5, 2)) return false;
    int m = number(s, 5, 2);
    if (m < 1 || m > 12) return false;
    if (s.size() == 7) return true;
    if (s.size() != 10 || s[7] != '-' || !digits(s, 8, 2)) return false;
    int d = number(s, 8, 2);
    return d >= 1 && d <= days_in_month(number(s, 0, 4), m);
}

std::optional<std::string> normalize_fhir_time(std::string_view s) {
    if (s.size() <= 10) return is_fhir_date(s) ? std::optional<std::string>(std::string(s)) : std::nullopt;
    // YYYY-MM-DDThh:mm:ss(.fff)?(Z|+hh:mm|-hh:mm)
    if (!is_fhir_date(s.substr(0, 10)) || s[10] != 'T' || !digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2) ||
        s.size() < 19 || s[16] != ':' || !digits(s, 17, 2))
        return std::nullopt;
    int hh = number(s, 11, 2), mi = number(s, 14, 2), ss = number(s, 17, 2);
    if (hh > 23 || mi > 59 || ss > 60) return std::nullopt;
    std::size_t pos = 19;
    std::string_view fraction;
    if (pos < s.size() && s[pos] == '.') {
        std::size_t start = pos++;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start + 1) return std::nullopt;
        fraction = s.substr(start, std::min<std::size_t>(pos - start, 4));  // keep milliseconds
    }
    int offset_minutes = 0;
    if (pos < s.size() && s[pos] == 'Z' && pos + 1 == s.size()) {
    } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && digits(s, pos + 1, 2) && s[pos + 3] == ':' &&
               digits(s, pos + 4, 2)) {
        offset_minutes = number(s, pos + 1, 2) * 60 + number(s, pos + 4, 2);
        if (s[pos] == '-') offset_minutes = -offset_minutes;
    } else {
        return std::nullopt;  // FHIR requires a zone whenever a time is given
    }
    std::tm tm{};
    tm.tm_year = number(s, 0, 4) - 1900;
    tm.tm_mon = number(s, 5, 2) - 1;
    tm.tm_mday = number(s, 8, 2);
    tm.tm_hour = hh;
    tm.tm_min = mi;
    tm.tm_sec = ss;
    std::int64_t epoch = static_cast<std::int64_t>(timegm(&tm)) - offset_minutes * 60;
    return format_utc(epoch, fraction);
}

std::optional<std::string> normalize_query_time(std::string_view text) {
    if (text.size() == 10) return is_fhir_date(text) ? std::optional<std::string>(std::string(text)) : std::nullopt;
    return normalize_fhir_time(text);
}

}  // namespace consilium::decision
