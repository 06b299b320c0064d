//! Both clients end to end against the real mock server over HTTP.
//!
//! Every scenario is a plain function over the [`clients::Api`] trait and runs twice, once
//! for the blocking client (ureq) and once for the async client (reqwest, each call inside
//! `tokio::spawn`), through `for_each_client!` below.

mod clients;
mod faults;
mod injected;
mod retries;
mod round_trip;
mod secrets;
mod stop;

use faults::*;
use retries::*;
use round_trip::*;
use secrets::*;

macro_rules! for_each_client {
    ($($scenario:ident),* $(,)?) => {
        /// The scenarios with the blocking client (ureq).
        mod blocking {
            $( #[test] fn $scenario() { crate::$scenario(crate::clients::make_blocking) } )*
        }
        /// The scenarios with the async client (reqwest on tokio).
        mod async_client {
            $( #[test] fn $scenario() { crate::$scenario(crate::clients::make_async) } )*
        }
    };
}

for_each_client!(
    round_trip_reference_dialect,
    round_trip_revised_dialect,
    validation_errors_never_reach_the_mock,
    fault_table_holds,
    hung_server_times_out,
    hung_listener_times_out,
    redirect_is_not_followed,
    a_tls_failure_is_reported_and_not_retried,
    refusals_with_retry_after_are_retried,
    refusals_stop_after_max_retries,
    a_retry_after_beyond_the_cap_is_not_waited_for,
    failures_answered_with_200_are_api_errors,
    create_is_not_retried_after_a_server_error,
    create_is_not_retried_after_a_dropped_response,
    delete_is_retried_on_server_errors,
    connection_refused_is_retried_then_a_connect_error,
    the_token_never_appears_in_errors,
);
