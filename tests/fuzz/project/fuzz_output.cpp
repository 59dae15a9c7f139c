// libFuzzer: any bytes as a plugin's output - suggestions.json of a command plugin, and the
// RS-separated texts the native worker writes. Must never crash or recurse without bound; invalid
// output is a reason string (or BadOutput), nothing else. Checked against a small volume so the
// ROI geometry is exercised too.
#include "consilium/plugins/run.h"
#include "output_validation.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    static const std::vector<std::string> kinds = {"finding", "risk"};
    consilium::plugins::VolumeInput volume;
    volume.dims = {8, 8, 4};
    volume.spacing_mm = {0.5, 0.5, 2};
    (void)consilium::plugins::validate_output(text, kinds, std::nullopt);
    (void)consilium::plugins::validate_output(text, kinds, volume);
    try {
        auto merged = consilium::plugins::merge_output(text);
        (void)consilium::plugins::validate_output_value(merged, kinds, volume);
    } catch (const consilium::plugins::BadOutput&) {
    }
    return 0;
}
