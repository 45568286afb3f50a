use aws_lambda_events::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
use cors_runtime::cors_handler;
use lambda_runtime::{Error, LambdaEvent};

#[cors_handler(origin = "https://myapp.com", streaming)]
async fn handler(
    event: LambdaEvent<ApiGatewayV2httpRequest>,
) -> Result<ApiGatewayV2httpResponse, Error> {
    let _ = event;
    Ok(ApiGatewayV2httpResponse::default())
}

fn main() {}
