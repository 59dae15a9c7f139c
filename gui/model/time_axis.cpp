#include "model/time_axis.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace consilium::gui {
namespace {

constexpr double kDay = 86400.0;

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's civil algorithms).
long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

struct Civil {
    long long year;
    unsigned month, day;
};

Civil civil_from_days(long long z) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long y = static_cast<long long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

unsigned days_in_month(long long y, unsigned m) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads `n` digits at `pos`; -1 when they are not all digits.
int digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return -1;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

struct Step {
    TickUnit unit;
    int count;
    double seconds;     // approximate length, for choosing
    int label_chars;    // the longest label of this unit
};

constexpr double kMonth = 30.436875 * kDay;
constexpr double kYear = 365.2425 * kDay;
constexpr Step kSteps[] = {
    {TickUnit::minute, 1, 60, 5},          {TickUnit::minute, 5, 300, 5},       {TickUnit::minute, 15, 900, 5},
    {TickUnit::minute, 30, 1800, 5},       {TickUnit::hour, 1, 3600, 5},        {TickUnit::hour, 3, 3 * 3600, 5},
    {TickUnit::hour, 6, 6 * 3600, 5},      {TickUnit::hour, 12, 12 * 3600, 5},  {TickUnit::day, 1, kDay, 10},
    {TickUnit::day, 2, 2 * kDay, 10},      {TickUnit::day, 7, 7 * kDay, 10},    {TickUnit::day, 14, 14 * kDay, 10},
    {TickUnit::month, 1, kMonth, 7},       {TickUnit::month, 3, 3 * kMonth, 7}, {TickUnit::month, 6, 6 * kMonth, 7},
    {TickUnit::year, 1, kYear, 4},         {TickUnit::year, 2, 2 * kYear, 4},   {TickUnit::year, 5, 5 * kYear, 4},
    {TickUnit::year, 10, 10 * kYear, 4},   {TickUnit::year, 20, 20 * kYear, 4}, {TickUnit::year, 50, 50 * kYear, 4},
    {TickUnit::year, 100, 100 * kYear, 4},
};

const Step& choose_step(double seconds_per_pixel, double char_width) {
    for (const auto& s : kSteps)
        if (s.seconds / seconds_per_pixel >= (s.label_chars + 3) * char_width) return s;
    return kSteps[std::size(kSteps) - 1];
}

std::string two(unsigned v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02u", v % 100);
    return buf;
}

std::string date_text(const Civil& c) { return std::to_string(c.year) + "-" + two(c.month) + "-" + two(c.day); }

}  // namespace

std::optional<double> parse_store_time(std::string_view s) {
    const int year = digits(s, 0, 4);
    if (year < 0) return std::nullopt;
    unsigned month = 1, day = 1;
    double seconds = 0;
    std::size_t pos = 4;
    if (pos < s.size()) {
        if (s[pos] != '-') return std::nullopt;
        const int m = digits(s, pos + 1, 2);
        if (m < 1 || m > 12) return std::nullopt;
        month = static_cast<unsigned>(m);
        pos += 3;
    }
    if (pos < s.size()) {
        if (s[pos] != '-') return std::nullopt;
        const int d = digits(s, pos + 1, 2);
        if (d < 1 || static_cast<unsigned>(d) > days_in_month(year, month)) return std::nullopt;
        day = static_cast<unsigned>(d);
        pos += 3;
    }
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
        const int h = digits(s, pos + 1, 2), mi = digits(s, pos + 4, 2);
        if (h < 0 || h > 24 || mi < 0 || mi > 59 || pos + 3 >= s.size() || s[pos + 3] != ':') return std::nullopt;
        seconds = h * 3600.0 + mi * 60.0;
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            const int sec = digits(s, pos + 1, 2);
            if (sec < 0 || sec > 60) return std::nullopt;
            seconds += sec;
            pos += 3;
            if (pos < s.size() && s[pos] == '.') {
                double scale = 0.1;
                for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, scale /= 10) seconds += (s[pos] - '0') * scale;
            }
        }
        if (pos < s.size()) {
            if (s[pos] == 'Z') {
                ++pos;
            } else if (s[pos] == '+' || s[pos] == '-') {
                const int oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
                if (oh < 0 || om < 0 || pos + 3 >= s.size() || s[pos + 3] != ':') return std::nullopt;
                const double offset = oh * 3600.0 + om * 60.0;
                seconds -= s[pos] == '+' ? offset : -offset;
                pos += 6;
            } else {
                return std::nullopt;
            }
        }
        if (pos != s.size()) return std::nullopt;
    }
    return static_cast<double>(days_from_civil(year, month, day)) * kDay + seconds;
}

std::string format_time(double t, bool with_time) {
    const double days = std::floor(t / kDay);
    const Civil c = civil_from_days(static_cast<long long>(days));
    std::string out = date_text(c);
    if (!with_time) return out;
    const auto minutes = static_cast<unsigned>(std::floor((t - days * kDay) / 60.0 + 1e-6));
    return out + " " + two(minutes / 60) + ":" + two(minutes % 60);
}

void TimeAxis::set_width(double pixels) { width_ = std::max(1.0, pixels); }

void TimeAxis::set_range(double start, double end) {
    if (!(end > start)) end = start + kMinSpan;
    start_ = start;
    end_ = end;
    clamp();
}

void TimeAxis::clamp() {
    double span = std::clamp(end_ - start_, kMinSpan, kMaxSpan);
    const double centre = (start_ + end_) / 2;
    start_ = centre - span / 2;
    end_ = centre + span / 2;
    if (start_ < kEarliest) {
        start_ = kEarliest;
        end_ = start_ + span;
    }
    if (end_ > kLatest) {
        end_ = kLatest;
        start_ = std::max(kEarliest, end_ - span);
    }
}

void TimeAxis::zoom(double factor, double anchor_x) {
    if (!(factor > 0)) return;
    const double anchor = to_time(anchor_x);
    const double span = std::clamp((end_ - start_) / factor, kMinSpan, kMaxSpan);
    const double fraction = anchor_x / width_;
    start_ = anchor - fraction * span;
    end_ = start_ + span;
    clamp();
}

void TimeAxis::pan(double dx) {
    const double shift = dx * seconds_per_pixel();
    const double span = end_ - start_;
    start_ = std::clamp(start_ - shift, kEarliest, kLatest - span);
    end_ = start_ + span;
}

void TimeAxis::fit(double first, double last, double margin_fraction) {
    if (last < first) std::swap(first, last);
    if (last - first < 1) {
        first -= kDay / 2;
        last += kDay / 2;
    }
    const double margin = (last - first) * margin_fraction;
    set_range(first - margin, last + margin);
}

TickUnit TimeAxis::tick_unit(double char_width) const { return choose_step(seconds_per_pixel(), char_width).unit; }

std::vector<Tick> TimeAxis::ticks(double char_width) const {
    const Step& step = choose_step(seconds_per_pixel(), char_width);
    std::vector<Tick> out;
    auto add = [&](double t, std::string label, bool strong) {
        if (t < start_ || t > end_ || out.size() >= 1000) return;
        out.push_back({t, to_x(t), std::move(label), strong});
    };
    if (step.unit == TickUnit::minute || step.unit == TickUnit::hour || step.unit == TickUnit::day) {
        const double length = step.unit == TickUnit::day ? step.count * kDay
                                                         : step.count * (step.unit == TickUnit::hour ? 3600.0 : 60.0);
        // Weeks start on Mondays (1970-01-01 was a Thursday, 3 days after one).
        const double offset = step.unit == TickUnit::day && step.count >= 7 ? -3 * kDay : 0;
        double t = std::floor((start_ - offset) / length) * length + offset;
        for (; t <= end_ && out.size() < 1000; t += length) {
            const double days = std::floor(t / kDay + 1e-9);
            const Civil c = civil_from_days(static_cast<long long>(days));
            const bool midnight = std::abs(t - days * kDay) < 0.5;
            if (step.unit == TickUnit::day) {
                add(t, date_text(c), c.day == 1);
            } else if (midnight) {
                add(t, date_text(c), true);
            } else {
                const auto minutes = static_cast<unsigned>(std::lround((t - days * kDay) / 60.0));
                add(t, two(minutes / 60) + ":" + two(minutes % 60), false);
            }
        }
        return out;
    }
    const Civil first = civil_from_days(static_cast<long long>(std::floor(start_ / kDay)));
    if (step.unit == TickUnit::month) {
        long long y = first.year;
        unsigned m = first.month - (first.month - 1) % static_cast<unsigned>(step.count);
        for (int guard = 0; guard < 5000; ++guard) {
            const double t = static_cast<double>(days_from_civil(y, m, 1)) * kDay;
            if (t > end_) break;
            add(t, std::to_string(y) + "-" + two(m), m == 1);
            m += static_cast<unsigned>(step.count);
            if (m > 12) {
                m -= 12;
                ++y;
            }
        }
        return out;
    }
    long long y = first.year - (((first.year % step.count) + step.count) % step.count);
    const int strong_every = step.count < 10 ? 10 : 100;
    for (int guard = 0; guard < 5000; ++guard, y += step.count) {
        const double t = static_cast<double>(days_from_civil(y, 1, 1)) * kDay;
        if (t > end_) break;
        add(t, std::to_string(y), y % strong_every == 0);
    }
    return out;
}

std::string TimeAxis::context_label(double char_width) const {
    const TickUnit unit = tick_unit(char_width);
    if (unit != TickUnit::minute && unit != TickUnit::hour) return "";
    return format_time(start_, false);
}

}  // namespace consilium::gui
