// Voxel loops of the detector; see voxel_ops.h.
#include "voxel_ops.h"

#include <cstddef>

namespace consilium::lung {
namespace {

// Calls f(values) with the voxels typed as they are stored.
template <typename F>
void with_values(const HuVolume& v, F&& f) {
    if (v.float32) f(static_cast<const float*>(v.voxels));
    else f(static_cast<const std::int16_t*>(v.voxels));
}

}  // namespace

void threshold_at_most(const HuVolume& v, double max_hu, std::uint8_t* mask) {
    const std::size_t n = v.grid.voxels();
    with_values(v, [&](const auto* hu) {
        for (std::size_t x = 0; x < n; ++x) mask[x] = hu[x] <= max_hu ? 1 : 0;
    });
}

void paint(const std::vector<Run>& runs, const Grid& grid, std::uint8_t value, std::uint8_t* mask) {
    for (const auto& r : runs) {
        std::uint8_t* p = mask + grid.index(r.i, r.j, r.k);
        for (int x = 0; x < r.length; ++x) p[x] = value;
    }
}

void mark_slice_holes(const Grid& grid, std::uint8_t* mask) {
    constexpr std::uint8_t kOutside = 3;  // temporary: zero voxels reached from the slice's edge
    const int ni = grid.dims[0], nj = grid.dims[1];
    std::vector<int> stack;
    for (int k = 0; k < grid.dims[2]; ++k) {
        std::uint8_t* s = mask + grid.index(0, 0, k);
        stack.clear();
        auto seed = [&](int i, int j) {
            const int at = i + ni * j;
            if (s[at] == 0) {
                s[at] = kOutside;
                stack.push_back(at);
            }
        };
        for (int i = 0; i < ni; ++i) {
            seed(i, 0);
            seed(i, nj - 1);
        }
        for (int j = 0; j < nj; ++j) {
            seed(0, j);
            seed(ni - 1, j);
        }
        while (!stack.empty()) {
            const int at = stack.back();
            stack.pop_back();
            const int i = at % ni, j = at / ni;
            if (i > 0) seed(i - 1, j);
            if (i + 1 < ni) seed(i + 1, j);
            if (j > 0) seed(i, j - 1);
            if (j + 1 < nj) seed(i, j + 1);
        }
        const std::size_t n = grid.slice_voxels();
        for (std::size_t x = 0; x < n; ++x) s[x] = s[x] == kOutside ? 0 : s[x] == 0 ? 2 : s[x];
    }
}

void keep_dense_holes(const HuVolume& v, double min_hu, std::uint8_t* mask) {
    const std::size_t n = v.grid.voxels();
    with_values(v, [&](const auto* hu) {
        for (std::size_t x = 0; x < n; ++x) mask[x] = mask[x] == 2 && hu[x] > min_hu ? 1 : 0;
    });
}

double mean_hu(const HuVolume& v, const std::vector<Run>& runs) {
    double sum = 0;
    std::size_t count = 0;
    with_values(v, [&](const auto* hu) {
        for (const auto& r : runs) {
            const std::size_t at = v.grid.index(r.i, r.j, r.k);
            for (int x = 0; x < r.length; ++x) sum += hu[at + static_cast<std::size_t>(x)];
            count += static_cast<std::size_t>(r.length);
        }
    });
    return count ? sum / static_cast<double>(count) : 0;
}

}  // namespace consilium::lung
