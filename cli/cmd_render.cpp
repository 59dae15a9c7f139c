#include "commands.h"

#include "consilium/decision/errors.h"
#include "consilium/viewer/load.h"
#include "consilium/viewer/scene.h"
#include "workspace_series.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <sstream>

namespace consilium::cli {
namespace {

std::vector<double> numbers(const std::string& text, std::size_t count, const char* option) {
    std::vector<double> out;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ',')) {
        try {
            std::size_t used = 0;
            out.push_back(std::stod(part, &used));
            if (used != part.size()) throw std::invalid_argument(part);
        } catch (const std::exception&) {
            throw UsageError(std::string(option) + ": '" + part + "' is not a number");
        }
    }
    if (out.size() != count) throw UsageError(std::string(option) + " needs " + std::to_string(count) + " comma-separated numbers");
    return out;
}

viewer::Volume load_or_fail(const std::string& path, const std::optional<std::string>& series) {
    try {
        return viewer::load_path(path, series);
    } catch (const viewer::LoadError& e) {
        throw decision::InputError("", e.what());
    }
}

}  // namespace

// Offscreen rendering of one view through the same code as the workstation.
int cmd_render(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--series", "--view", "--position", "--slice", "--preset", "--window", "--level", "--overlay",
                                   "--size", "--out", "--roi", "--marker"},
                           {"--crosshair", "--no-letters"});
    if (args.positional.size() > 1) throw UsageError("render takes one PATH");
    if (args.positional.empty() && !args.value("--series"))
        throw UsageError("render needs a PATH, or --series UID for a series of the workspace");
    auto view_name = args.value("--view");
    if (!view_name) throw UsageError("render needs --view axial|coronal|sagittal|3d");
    auto view = viewer::view_from_string(*view_name);
    if (!view) throw UsageError("unknown view '" + *view_name + "' (axial, coronal, sagittal or 3d)");
    auto out = args.value("--out");
    if (!out) throw UsageError("render needs --out FILE.png");
    int width = 512, height = 512;
    if (auto size = args.value("--size")) {
        auto x = size->find('x');
        try {
            width = std::stoi(size->substr(0, x));
            height = std::stoi(size->substr(x + 1));
        } catch (const std::exception&) {
            throw UsageError("--size '" + *size + "' is not WIDTHxHEIGHT");
        }
        if (x == std::string::npos) throw UsageError("--size '" + *size + "' is not WIDTHxHEIGHT");
    }
    if (args.value("--position") && args.value("--slice")) throw UsageError("give --position or --slice, not both");
    if (args.value("--preset") && (args.value("--window") || args.value("--level")))
        throw UsageError("give --preset or --window/--level, not both");
    if (args.value("--window").has_value() != args.value("--level").has_value())
        throw UsageError("--window and --level go together");

    // A PATH needs no workspace; a workspace series needs a login and is audited as viewed.
    const std::string path = args.positional.empty() ? open_workspace_series(ctx, *args.value("--series")).string()
                                                     : args.positional[0];
    if (!std::filesystem::exists(path)) throw decision::NotFound(path + ": no such file or folder");
    auto volume = std::make_shared<viewer::Volume>(load_or_fail(path, args.value("--series")));
    viewer::ViewState state = viewer::initial_state(*volume);
    state.show_crosshair = args.flag("--crosshair");
    state.show_letters = !args.flag("--no-letters");
    if (auto p = args.value("--position")) {
        auto v = numbers(*p, 3, "--position");
        state.crosshair_lps = {v[0], v[1], v[2]};
    } else if (auto s = args.value("--slice")) {
        try {
            state.crosshair_lps = viewer::slice_point(*volume, *view, std::stoi(*s));
        } catch (const std::out_of_range& e) {
            throw UsageError(std::string("--slice: ") + e.what());
        } catch (const std::invalid_argument&) {
            throw UsageError("--slice '" + *s + "' is not a slice number");
        }
    }
    if (auto preset = args.value("--preset")) {
        if (*view == viewer::ViewKind::volume3d) {
            auto p = viewer::volume_preset(*preset);
            if (!p) throw UsageError("unknown 3D preset '" + *preset + "' (ct-bone, ct-soft-tissue, ct-lung, mr-default, mip)");
            state.preset = *p;
        } else {
            auto wl = viewer::window_preset(*preset);
            if (!wl) throw UsageError("unknown window preset '" + *preset + "' (brain, subdural, lung, mediastinum, bone, abdomen)");
            state.window = *wl;
        }
    }
    if (auto w = args.value("--window")) state.window = {numbers(*w, 1, "--window")[0], numbers(*args.value("--level"), 1, "--level")[0]};
    if (auto mask = args.value("--overlay"))
        state.masks.push_back({std::make_shared<viewer::Volume>(load_or_fail(*mask, std::nullopt))});
    for (const auto& roi : args.all("--roi")) {
        auto v = numbers(roi, 6, "--roi");
        state.rois.push_back({{v[0], v[1], v[2]}, {v[3], v[4], v[5]}});
    }
    for (const auto& m : args.all("--marker")) {
        auto v = numbers(m, 3, "--marker");
        state.markers.push_back({{v[0], v[1], v[2]}});
    }
    try {
        viewer::render_png_in_module(volume, *view, state, width, height, *out);  // VTK only when rendering
    } catch (const std::runtime_error& e) {
        throw decision::InputError("", e.what());
    }
    if (ctx.json)
        ctx.print_json({{"out", *out}, {"view", *view_name}, {"size", {width, height}},
                        {"position", state.crosshair_lps}, {"window", state.window.window}, {"level", state.window.level}});
    else
        std::cout << "Rendered the " << *view_name << " view to " << *out << '\n';
    return 0;
}

}  // namespace consilium::cli
