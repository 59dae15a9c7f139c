#pragma once
// Shared by test_lung_nodules.cpp and test_mask_evidence.cpp: a scratch store with a radiologist
// logged in and one patient, and a CT volume in a memfd (as the CLI hands one to run_plugin).
#include "test_support.h"

#include "consilium/decision/session.h"
#include "consilium/decision/store.h"
#include "consilium/plugins/run.h"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <ostream>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace consilium::decision {
inline std::ostream& operator<<(std::ostream& os, RunStatus s) { return os << to_string(s); }
inline std::ostream& operator<<(std::ostream& os, SuggestionKind k) { return os << to_string(k); }
}  // namespace consilium::decision

namespace consilium::test::evidence {

// int16 voxels in a memfd, described as a VolumeInput (direction: identity).
struct SharedVolume {
    plugins::VolumeInput input;
    SharedVolume(std::array<int, 3> dims, std::array<double, 3> spacing, std::array<double, 3> origin,
                 const std::vector<std::int16_t>& voxels) {
        input.dims = dims;
        input.spacing_mm = spacing;
        input.origin_lps = origin;
        input.modality = "CT";
        input.series_uid = "1.2.826.0.1.3680043.2.1125.1";
        input.bytes = voxels.size() * sizeof(std::int16_t);
        input.fd = memfd_create("test-ct", MFD_CLOEXEC);
        BOOST_REQUIRE(input.fd >= 0);
        const char* data = reinterpret_cast<const char*>(voxels.data());
        for (std::size_t done = 0; done < input.bytes;) {
            const ssize_t n = ::write(input.fd, data + done, input.bytes - done);
            BOOST_REQUIRE(n > 0);
            done += static_cast<std::size_t>(n);
        }
    }
    ~SharedVolume() { ::close(input.fd); }
    SharedVolume(const SharedVolume&) = delete;
    SharedVolume& operator=(const SharedVolume&) = delete;
};

struct StoreFixture {
    ScratchDir dir{"evidence"};
    std::unique_ptr<decision::Store> store;
    std::optional<decision::Session> session;
    std::int64_t patient = 0;

    StoreFixture() {
        using namespace consilium::decision;
        store = open_sqlite_store(dir / "consilium.db", {.create = true});
        add_user(*store, nullptr, "admin", Role::admin, "admin");
        auto admin = login(*store, "admin", "admin");
        add_user(*store, &admin, "rad", Role::radiologist, "rad");
        session = login(*store, "rad", "rad");
        Patient p;
        p.mrn = "MRN-CT";
        p.family = "Phantom";
        p.given = "Chest";
        p.name = "Chest Phantom";
        p.birth_date = "1960-04-02";  // an adult: the shipped lung-nodule plugin is for adults
        auto tx = store->begin();
        patient = store->patients().insert(p);
        tx->commit();
    }
};

}  // namespace consilium::test::evidence
