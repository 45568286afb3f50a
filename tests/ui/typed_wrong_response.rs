use aws_lambda_events::apigw::ApiGatewayProxyRequest;
use aws_lambda_events::lambda_function_urls::LambdaFunctionUrlResponse;
use cors_runtime::cors_handler;
use lambda_runtime::{Error, LambdaEvent};

#[cors_handler(origin = "https://myapp.com")]
async fn handler(
    event: LambdaEvent<ApiGatewayProxyRequest>,
) -> Result<LambdaFunctionUrlResponse, Error> {
    let _ = event;
    Ok(LambdaFunctionUrlResponse::default())
}

fn main() {}
