// The incremental multipart/related reader, fed byte streams built here byte by byte: split at
// every position, truncated, corrupt, and with headers it must refuse.
#include "../../pacs/src/internal.h"
#include "../cli/dicom_series.h"
#include "test_support.h"

#include <boost/test/unit_test.hpp>

namespace {

namespace fs = std::filesystem;
using namespace consilium;
using consilium::pacs::PacsError;
using consilium::test::ScratchDir;

std::string multipart(const std::vector<std::string>& parts, const std::string& boundary, bool closed = true) {
    std::string body = "preamble to ignore\r\n";
    for (const auto& p : parts) body += "--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n" + p + "\r\n";
    if (closed) body += "--" + boundary + "--\r\nepilogue";
    return body;
}

std::vector<std::string> dicom_files(const fs::path& folder, int n) {
    test::dicom::SeriesSpec spec;
    spec.slices = n;
    std::vector<std::string> out;
    for (const auto& f : test::dicom::write_series(folder, spec)) out.push_back(test::read_file(f));
    return out;
}

std::size_t count(const fs::path& folder, const std::string& ext) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(folder))
        if (e.path().extension() == ext) ++n;
    return n;
}

BOOST_AUTO_TEST_CASE(boundary_parameter) {
    using pacs::detail::multipart_boundary;
    BOOST_TEST(multipart_boundary("multipart/related; type=\"application/dicom\"; boundary=abc123") == "abc123");
    BOOST_TEST(multipart_boundary("multipart/related;boundary=\"a b;c\";type=application/dicom") == "a b;c");
    BOOST_TEST(multipart_boundary("Multipart/Related; BOUNDARY=X") == "X");
    BOOST_TEST(multipart_boundary("multipart/related; type=application/dicom") == "");
}

BOOST_AUTO_TEST_CASE(every_split_point_gives_the_same_files) {
    ScratchDir dir("multipart");
    auto files = dicom_files(dir / "src", 2);
    const std::string body = multipart(files, "XyZ");
    // Split into two chunks at every position (and once byte by byte).
    for (std::size_t cut = 0; cut <= body.size(); cut += (cut < 400 || cut + 400 > body.size()) ? 1 : 97) {
        auto out = dir / ("cut-" + std::to_string(cut));
        fs::create_directories(out);
        int done = 0;
        pacs::detail::MultipartReader reader("XyZ", out, [&](pacs::RetrievedInstance) { ++done; });
        reader.feed(body.data(), cut);
        reader.feed(body.data() + cut, body.size() - cut);
        reader.finish();
        BOOST_REQUIRE_EQUAL(done, 2);
        BOOST_REQUIRE_EQUAL(count(out, ".dcm"), 2u);
        BOOST_REQUIRE_EQUAL(count(out, ".part"), 0u);
        fs::remove_all(out);
    }
    auto out = dir / "bytes";
    fs::create_directories(out);
    pacs::detail::MultipartReader reader("XyZ", out, [](pacs::RetrievedInstance) {});
    for (char c : body) reader.feed(&c, 1);
    reader.finish();
    BOOST_TEST(reader.parts() == 2);
}

BOOST_AUTO_TEST_CASE(truncated_stream_is_an_error_and_leaves_no_part_file) {
    ScratchDir dir("multipart");
    auto files = dicom_files(dir / "src", 2);
    const std::string body = multipart(files, "B", false);
    for (std::size_t keep : {body.size(), body.size() - 10, body.size() / 2}) {
        auto out = dir / ("t" + std::to_string(keep));
        fs::create_directories(out);
        {
            pacs::detail::MultipartReader reader("B", out, [](pacs::RetrievedInstance) {});
            reader.feed(body.data(), keep);
            BOOST_CHECK_THROW(reader.finish(), PacsError);
        }
        BOOST_TEST(count(out, ".part") == 0u);
    }
}

BOOST_AUTO_TEST_CASE(corrupt_part_is_refused) {
    ScratchDir dir("multipart");
    auto files = dicom_files(dir / "src", 1);
    auto truncated = files[0].substr(0, files[0].size() - 100);  // pixel data cut short
    for (const auto& bad : {std::string("not DICOM at all"), truncated}) {
        auto out = dir / ("c" + std::to_string(bad.size()));
        fs::create_directories(out);
        const std::string body = multipart({files[0], bad}, "B");
        try {
            pacs::detail::MultipartReader reader("B", out, [](pacs::RetrievedInstance) {});
            reader.feed(body.data(), body.size());
            reader.finish();
            BOOST_ERROR("a corrupt part was accepted");
        } catch (const PacsError& e) {
            BOOST_TEST((e.kind() == PacsError::Kind::corrupt), e.what());
        }
        BOOST_TEST(count(out, ".part") == 0u);
    }
}

BOOST_AUTO_TEST_CASE(part_of_another_type_is_refused) {
    ScratchDir dir("multipart");
    const std::string body = "--B\r\nContent-Type: text/html\r\n\r\n<html>\r\n--B--\r\n";
    pacs::detail::MultipartReader reader("B", dir.path(), [](pacs::RetrievedInstance) {});
    BOOST_CHECK_THROW(reader.feed(body.data(), body.size()), PacsError);
}

}  // namespace
